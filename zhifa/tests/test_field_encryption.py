"""等保 2.0 level 3 / GB/T 39786, personal numbers encrypted at rest (docs/security.md): ID numbers and phone numbers
of people and parties are SM4-GCM ciphertext in the database and plain in pages, the API and the services; the
ledger keeps them masked or hashed; keys rotate without changing a value."""

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client

from zhifa.cases.models import Party
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core import fieldcrypto
from zhifa.ledger import verification
from zhifa.ledger.models import LedgerEvent
from zhifa.org.models import Person

ID = "330402199003071237"  # officer_a's, from the world fixture
PHONE = "13800000001"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


# --- the cipher, against independent references ------------------------------------------------


def test_sm4_is_the_gb_t_32907_cipher():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"  # GB/T 32907-2016 附录 A


def _gcm_reference(key: bytes, nonce: bytes, plain: bytes, aad: bytes) -> bytes:
    """SM4-GCM written out from NIST SP 800-38D over the bare block cipher: CTR for the body, GHASH for the tag."""
    block = lambda data: (lambda e: e.update(data) + e.finalize())(Cipher(algorithms.SM4(key), modes.ECB()).encryptor())  # noqa: E731
    h = int.from_bytes(block(b"\0" * 16), "big")

    def gf_mul(x: int, y: int) -> int:
        z, v = 0, y
        for i in range(128):
            if (x >> (127 - i)) & 1:
                z ^= v
            v = (v >> 1) ^ (0xE1 << 120) if v & 1 else v >> 1
        return z

    def ghash(data: bytes) -> int:
        y = 0
        for i in range(0, len(data), 16):
            y = gf_mul(y ^ int.from_bytes(data[i : i + 16].ljust(16, b"\0"), "big"), h)
        return y

    j0 = nonce + b"\0\0\0\1"
    counter = int.from_bytes(j0, "big")
    out = b""
    for i in range(0, len(plain), 16):
        counter = (counter & ~0xFFFFFFFF) | ((counter + 1) & 0xFFFFFFFF)
        stream = block(counter.to_bytes(16, "big"))
        out += bytes(a ^ b for a, b in zip(plain[i : i + 16], stream))
    pad = lambda b: b + b"\0" * (-len(b) % 16)  # noqa: E731
    s = ghash(pad(aad) + pad(out) + (len(aad) * 8).to_bytes(8, "big") + (len(out) * 8).to_bytes(8, "big"))
    tag = (s ^ int.from_bytes(block(j0), "big")).to_bytes(16, "big")
    return nonce + out + tag


@pytest.mark.parametrize("plain", ["330402199003071237", "13800000001", "0573-82000000 转 8001", "x" * 40])
def test_a_stored_value_is_sm4_gcm_as_the_standard_computes_it(plain, settings):
    settings.ZHIFA_FIELD_KEYS = "7:00112233445566778899aabbccddeeff"
    stored = fieldcrypto.encrypt(plain, "org_person.id_number")
    assert stored.startswith("sm4:7:") and plain not in stored
    body = base64.b64decode(stored[len("sm4:7:"):])
    key = bytes.fromhex("00112233445566778899aabbccddeeff")
    assert body == _gcm_reference(key, body[:12], plain.encode(), b"org_person.id_number")
    assert fieldcrypto.decrypt(stored, "org_person.id_number") == plain
    assert len(stored) <= fieldcrypto.stored_length(len(plain))


def test_a_value_moved_or_altered_does_not_decrypt(settings):
    stored = fieldcrypto.encrypt(ID, "org_person.id_number")
    with pytest.raises(fieldcrypto.DecryptionError, match="移入了其他字段"):
        fieldcrypto.decrypt(stored, "cases_party.id_code")
    body = bytearray(base64.b64decode(stored.split(":", 2)[2]))
    body[14] ^= 1
    with pytest.raises(fieldcrypto.DecryptionError, match="数据被改动"):
        fieldcrypto.decrypt("sm4:0:" + base64.b64encode(bytes(body)).decode(), "org_person.id_number")
    settings.ZHIFA_FIELD_KEYS = "9:" + "ab" * 16
    with pytest.raises(fieldcrypto.DecryptionError, match="没有该密钥"):
        fieldcrypto.decrypt(stored, "org_person.id_number")


@pytest.mark.parametrize("spec, message", [
    ("1:abcd", "32 位十六进制"), ("1:" + "zz" * 16, "32 位十六进制"), ("a b:" + "00" * 16, "编号"),
    ("1:" + "00" * 16 + ",1:" + "11" * 16, "重复"), ("toolongid:" + "00" * 16, "编号"),
])
def test_bad_keys_are_refused_with_a_reason(spec, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        fieldcrypto._parse(spec, "secret")


# --- the columns -----------------------------------------------------------------------------


def test_people_numbers_are_ciphertext_in_the_database_and_plain_everywhere_else(world):
    officer = world.officer_a
    for column, plain in (("id_number", ID), ("phone", PHONE)):
        stored = raw("org_person", column, officer.pk)
        assert stored.startswith("sm4:") and plain not in stored and plain[-6:] not in stored
    fresh = Person.objects.get(pk=officer.pk)
    assert (fresh.id_number, fresh.phone) == (ID, PHONE)
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get(f"/org/people/{officer.pk}/").content.decode()
    assert PHONE in page and "330402********1237" in page and "sm4:" not in page
    assert admin.get(f"/api/v1/people/{officer.pk}/").json()["phone"] == PHONE
    created = LedgerEvent.objects.get(kind="org.person.created", object_id=str(officer.pk)).parsed["data"]
    assert created["id_number"] == "330402********1237" and created["phone"] == "138****0001"
    assert verification.verify(check_files=False).ok


def test_party_numbers_are_ciphertext_and_the_case_still_works(world):
    case = open_penalty(world, team(world))
    party = case.parties.get()
    for column in ("id_code", "phone"):
        stored = raw("cases_party", column, party.pk)
        assert stored.startswith("sm4:") and getattr(party, column) not in stored
    officer = Client()
    officer.force_login(world.officer_a)
    assert officer.get(f"/cases/{case.pk}/").status_code == 200
    api = officer.get(f"/api/v1/cases/{case.pk}/").json()
    assert api["parties"][0]["id_code"] == party.id_code and api["parties"][0]["phone"] == party.phone
    assert case.number in officer.get("/cases/", {"q": party.name[:6]}).content.decode()  # search by party name
    assert verification.verify(check_files=False).ok


def test_an_encrypted_column_cannot_be_searched_by_value(world):
    with pytest.raises(FieldError, match="加密存储，不能按值查询"):
        list(Person.objects.filter(id_number=ID))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__contains="138"))
    assert Person.objects.filter(phone="").exists()  # an empty value stays empty: "no phone" is still a question
    assert not Person.objects.filter(pk=world.officer_a.pk, phone="").exists()


def test_keys_rotate_without_changing_a_value(world, settings, capsys):
    case = open_penalty(world, team(world))
    party = case.parties.get()
    settings.ZHIFA_FIELD_KEYS = "2:" + os.urandom(16).hex() + ",0:" + fieldcrypto.keys()[0][1].hex()
    call_command("fieldkeys", "status")
    out = capsys.readouterr().out
    assert "当前加密密钥：2" in out and "人员·身份证号码：密钥 0：" in out
    call_command("fieldkeys", "rotate")
    assert "重新加密" in capsys.readouterr().out
    assert raw("org_person", "id_number", world.officer_a.pk).startswith("sm4:2:")
    assert raw("cases_party", "phone", party.pk).startswith("sm4:2:")
    settings.ZHIFA_FIELD_KEYS = settings.ZHIFA_FIELD_KEYS.split(",")[0]  # the old key dropped
    assert Person.objects.get(pk=world.officer_a.pk).id_number == ID
    assert Party.objects.get(pk=party.pk).phone == party.phone
    call_command("fieldkeys", "status")
    assert "密钥 0" not in capsys.readouterr().out
    assert verification.verify(check_files=False).ok


def test_values_from_before_encryption_are_read_and_then_encrypted(world, capsys):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_person SET phone = %s WHERE id = %s", ["0573-1234567", world.officer_county.pk])
    assert Person.objects.get(pk=world.officer_county.pk).phone == "0573-1234567"
    call_command("fieldkeys", "status")
    assert "未加密：1" in capsys.readouterr().out
    assert fieldcrypto.rewrite_column(connection, "org_person", "phone") == 1
    assert raw("org_person", "phone", world.officer_county.pk).startswith("sm4:0:")
    assert Person.objects.get(pk=world.officer_county.pk).phone == "0573-1234567"


def test_generate_prints_a_usable_key(capsys):
    call_command("fieldkeys", "generate", "--id", "k2")
    key = capsys.readouterr().out.strip()
    assert fieldcrypto._parse(key, "")[0][0] == "k2"
