"""Personal numbers encrypted at rest with SM4 (GB/T 32907) in GCM mode, as GB/T 39786 asks of important data.

A stored value reads ``sm4:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>``. The column name is bound in as
associated data, so a value moved into another column does not decrypt. Keys come from the environment
(ZHIFA_FIELD_KEYS: ``id:32 hex digits`` separated by commas, the first one encrypting, all of them decrypting), so a
key is rotated by putting a new one first, running ``zhifa fieldkeys rotate`` and then dropping the old one. Without
ZHIFA_FIELD_KEYS (a demo, the tests) one key is derived from the secret key; production refuses to start without
real keys.

Values are decrypted when a row is read and encrypted when it is written; pages, the API, the ledger (which keeps
them masked or hashed) and redaction see plain values. An encrypted column cannot be searched by value: such a
query raises instead of silently finding nothing. An empty value stays empty (it is not secret that a number is
missing), so "has a phone number" still works. Values written before encryption (no ``sm4:`` prefix) are read as
they are until `zhifa fieldkeys rotate` encrypts them.
"""

import base64
import binascii
import hashlib
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact, IsNull

PREFIX = "sm4:"
NONCE, TAG = 12, 16
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,8}$")


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=8)
def _parse(spec: str, secret: str) -> tuple[tuple[str, bytes], ...]:
    if not spec.strip():
        derived = hashlib.new("sm3", b"zhifa field encryption key\x00" + secret.encode()).digest()[:16]
        return (("0", derived),)
    keys = []
    for part in spec.split(","):
        key_id, _, hex_key = part.strip().partition(":")
        if not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"ZHIFA_FIELD_KEYS 中的密钥编号“{key_id[:10]}”无效：只能是 1–8 位字母、数字、- 或 _。")
        try:
            raw = bytes.fromhex(hex_key.strip())
        except ValueError:
            raw = b""
        if len(raw) != 16:
            raise ImproperlyConfigured(f"ZHIFA_FIELD_KEYS 中密钥“{key_id}”须为 32 位十六进制数（SM4 密钥 128 位）。")
        if any(key_id == known for known, _ in keys):
            raise ImproperlyConfigured(f"ZHIFA_FIELD_KEYS 中密钥编号“{key_id}”重复。")
        keys.append((key_id, raw))
    return tuple(keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) pairs; the first one encrypts."""
    return _parse(settings.ZHIFA_FIELD_KEYS, settings.SECRET_KEY)


def current_key_id() -> str:
    return keys()[0][0]


def encrypt(plain: str, column: str) -> str:
    if not plain:
        return plain
    key_id, key = keys()[0]
    nonce = os.urandom(NONCE)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(column.encode())
    body = enc.update(plain.encode()) + enc.finalize()
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + body + enc.tag).decode()}"


def key_id_of(stored: str) -> str | None:
    """The key a stored value was encrypted with; None for an empty or not yet encrypted value."""
    if not stored or not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX):].split(":", 1)[0]


def decrypt(stored: str, column: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored  # empty, or written before encryption (see `zhifa fieldkeys rotate`)
    key_id, _, payload = stored[len(PREFIX):].partition(":")
    key = dict(keys()).get(key_id)
    if key is None:
        raise DecryptionError(f"数据用密钥“{key_id}”加密，但 ZHIFA_FIELD_KEYS 中没有该密钥。")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("加密数据已损坏。") from None
    if len(raw) < NONCE + TAG:
        raise DecryptionError("加密数据已损坏。")
    dec = Cipher(algorithms.SM4(key), modes.GCM(raw[:NONCE], raw[-TAG:])).decryptor()
    dec.authenticate_additional_data(column.encode())
    try:
        return (dec.update(raw[NONCE:-TAG]) + dec.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError):
        raise DecryptionError("加密数据校验失败：数据被改动，或被移入了其他字段。") from None


def stored_length(plain_max: int) -> int:
    """Column length for a value of up to `plain_max` characters (three bytes each in UTF-8)."""
    body = NONCE + 3 * plain_max + TAG
    return len(PREFIX) + 8 + 1 + 4 * ((body + 2) // 3)


class EncryptedExact(Exact):
    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"“{self.lhs.target.verbose_name}”加密存储，不能按值查询。")
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """A CharField stored SM4-encrypted. `max_length` is the longest plain value; the column is sized for the
    ciphertext. Only `= ''` and `IS NULL` can be asked of it in a query."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, max_length=stored_length(max_length) if max_length else None, **kwargs)
        if max_length:
            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def column_id(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value, self.column_id())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), self.column_id())

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": self.plain_max_length, **kwargs})

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return IsNull
        return None


def encrypted_fields():
    """(model, field) for every encrypted column of the installed apps."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    ]


def rewrite_column(connection, table: str, column: str, pk: str = "id", batch: int = 1000) -> int:
    """Encrypt with the current key every value of `table.column` that is not already under it (plain values
    written before encryption, or values under an older key). Returns how many were rewritten. Used by the
    migrations that introduced encryption and by `zhifa fieldkeys rotate`; it changes no plain value."""
    column_id = f"{table}.{column}"
    marker = f"{PREFIX}{current_key_id()}:"
    q = connection.ops.quote_name
    select = (
        f"SELECT {q(pk)}, {q(column)} FROM {q(table)} WHERE {q(pk)} > %s AND {q(column)} <> '' "
        f"AND SUBSTR({q(column)}, 1, %s) <> %s ORDER BY {q(pk)} LIMIT %s"
    )
    update = f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(pk)} = %s"
    done, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last, len(marker), marker, batch])
            rows = cursor.fetchall()
            if not rows:
                return done
            cursor.executemany(update, [(encrypt(decrypt(value, column_id), column_id), row_id) for row_id, value in rows])
            done += len(rows)
            last = rows[-1][0]


def key_census(connection, table: str, column: str) -> dict:
    """How many values of `table.column` are under each key ("plain" for values not yet encrypted)."""
    q = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(column)} <> ''")
        for (value,) in cursor:
            label = key_id_of(value) or "plain"
            counts[label] = counts.get(label, 0) + 1
    return counts


def encrypt_in_migration(table: str, *columns: str, pk: str = "id"):
    """The migration step that starts encrypting `columns`: existing plain values are encrypted with the current key;
    reversed, they are decrypted back (before the columns are narrowed again)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for column in columns:
            rewrite_column(schema_editor.connection, table, column, pk)

    def backward(apps, schema_editor):
        q = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            for column in columns:
                cursor.execute(f"SELECT {q(pk)}, {q(column)} FROM {q(table)} WHERE {q(column)} LIKE %s", [PREFIX + "%"])
                rows = cursor.fetchall()
                cursor.executemany(
                    f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(pk)} = %s", [(decrypt(v, f"{table}.{column}"), i) for i, v in rows]
                )

    return migrations.RunPython(forward, backward)
