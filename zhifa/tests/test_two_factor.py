"""等保 2.0 level 3, the second factor (docs/security.md): heads, reviewers, supervisors and administrators enrol an
authenticator app at their first sign-in and give its code at every sign-in after; nothing else is reachable until
they do, on pages, /admin/ or the API. Recovery codes work once each; wrong codes slow the next try; an
administrator resets a lost phone; officers may enrol and then are asked too."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhifa.ledger import verification
from zhifa.ledger.models import LedgerEvent
from zhifa.org import twofactor
from zhifa.org.models import RecoveryCode
from zhifa.org.tests.factories import PASSWORD

pytestmark = pytest.mark.two_factor


def sign_in(username, client=None):
    client = client or Client()
    page = client.post("/login/", {"username": username, "password": PASSWORD})
    assert page.status_code == 302, page.content.decode()[:300]
    return client


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def enrol(client, person) -> list[str]:
    client.get("/org/two-factor/setup/")
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    page = client.post("/org/two-factor/setup/", {"code": code_for(device)})
    assert page.status_code == 200, page.content.decode()[:500]
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page.content.decode())


def test_a_head_enrols_at_first_sign_in_and_reaches_nothing_before(world):
    client = sign_in("head_a")
    page = client.get("/cases/")
    assert page.status_code == 302 and page["Location"].startswith("/org/two-factor/setup/?next=/cases/")
    assert client.get("/api/v1/me/").status_code == 403
    assert client.get("/api/v1/me/").json()["detail"] == "请先完成两步验证。"
    assert client.get("/admin/").status_code == 302
    assert client.post("/org/account/", {"action": "issue", "days": "30"}).status_code == 302  # no token either
    setup = client.get("/org/two-factor/setup/?next=/cases/").content.decode()
    device = TOTPDevice.objects.get(user=world.head_a, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in setup and twofactor.secret_text(device) in setup
    wrong = client.post("/org/two-factor/setup/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.head_a, confirmed=True).exists()
    assert client.get("/cases/").status_code == 302
    device.throttle_reset()
    done = client.post("/org/two-factor/setup/", {"code": code_for(device), "next": "/cases/"})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10 and "只显示这一次" in done.content.decode()
    assert 'href="/cases/"' in done.content.decode()
    assert client.get("/cases/").status_code == 200 and client.get("/api/v1/me/").status_code == 200
    stored = list(RecoveryCode.objects.filter(person=world.head_a).values_list("salt", "digest"))
    assert len(stored) == 10 and len({salt for salt, _ in stored}) == 10  # a salt each
    assert not any(c.replace("-", "") in salt + digest for c in codes for salt, digest in stored)  # hashes only
    assert LedgerEvent.objects.filter(kind="org.person.two_factor_enrolled", object_id=str(world.head_a.pk)).exists()
    assert verification.verify(check_files=False).ok


def test_every_later_sign_in_asks_for_a_fresh_code(world):
    enrol(sign_in("head_a"), world.head_a)
    device = TOTPDevice.objects.get(user=world.head_a)
    used = code_for(device)
    client = sign_in("head_a")
    page = client.get("/org/people/")
    assert page.status_code == 302 and page["Location"].startswith("/org/two-factor/?next=")
    assert client.get("/org/two-factor/setup/")["Location"] == "/org/two-factor/"  # enrolled: no second device
    replay = client.post("/org/two-factor/", {"code": used})  # the code already used at enrolment
    assert replay.status_code == 400 and "已使用过" in replay.content.decode()
    assert client.get("/org/people/").status_code == 302
    device.throttle_reset()
    passed = client.post("/org/two-factor/", {"code": code_for(device, steps_ahead=1), "next": "/org/people/"})
    assert passed.status_code == 302 and passed["Location"] == "/org/people/"
    assert client.get("/org/people/").status_code == 200


def test_a_session_id_changes_when_the_second_factor_is_passed(world):
    client = sign_in("reviewer_a")
    before = client.session.session_key
    enrol(client, world.reviewer_a)
    assert client.session.session_key != before


def test_wrong_codes_slow_the_next_try_even_with_the_right_code(world):
    enrol(sign_in("sup_city"), world.city_supervisor)
    device = TOTPDevice.objects.get(user=world.city_supervisor)
    client = sign_in("sup_city")
    for _ in range(3):
        client.post("/org/two-factor/", {"code": "12345"})  # five digits: taken as a recovery code, and wrong
    refused = client.post("/org/two-factor/", {"code": code_for(device, steps_ahead=1)})
    assert refused.status_code == 400 and "秒后再试" in refused.content.decode()
    assert client.get("/cases/").status_code == 302


def test_a_recovery_code_works_once(world):
    codes = enrol(sign_in("head_a"), world.head_a)
    client = sign_in("head_a")
    page = client.post("/org/two-factor/", {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert page.status_code == 200 and "还剩 9 个" in page.content.decode()
    assert client.get("/cases/").status_code == 200
    again = sign_in("head_a")
    TOTPDevice.objects.filter(user=world.head_a).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert again.post("/org/two-factor/", {"code": codes[3]}).status_code == 400
    assert again.get("/cases/").status_code == 302
    assert LedgerEvent.objects.filter(kind="org.person.recovery_code_used").count() == 1
    assert twofactor.status(world.head_a)["recovery_codes_left"] == 9


def test_new_recovery_codes_replace_the_old(world):
    client = sign_in("head_a")
    old = enrol(client, world.head_a)
    page = client.post("/org/account/", {"action": "recovery"}).content.decode()
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(new) == 10 and not set(new) & set(old) and "原有的恢复码已作废" in page
    other = sign_in("head_a")
    assert other.post("/org/two-factor/", {"code": old[0]}).status_code == 400
    TOTPDevice.objects.filter(user=world.head_a).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert other.post("/org/two-factor/", {"code": new[0]}).status_code == 302


def test_officers_may_enrol_and_then_are_asked_too(world):
    client = sign_in("officer_a")
    assert client.get("/cases/").status_code == 200  # not required of officers
    account = client.get("/org/account/").content.decode()
    assert "启用两步验证" in account
    enrol(client, world.officer_a)
    later = sign_in("officer_a")
    assert later.get("/cases/")["Location"].startswith("/org/two-factor/")
    device = TOTPDevice.objects.get(user=world.officer_a)
    later.post("/org/two-factor/", {"code": code_for(device, steps_ahead=1)})
    assert later.post("/org/account/", {"action": "disable"}, follow=True).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.officer_a).exists()
    assert sign_in("officer_a").get("/cases/").status_code == 200


def test_a_head_cannot_turn_it_off_and_an_administrator_resets_a_lost_phone(world):
    head = sign_in("head_a")
    enrol(head, world.head_a)
    page = head.post("/org/account/", {"action": "disable"}, follow=True).content.decode()
    assert "不能自行停用" in page and TOTPDevice.objects.filter(user=world.head_a).exists()
    officer = Client()
    officer.force_login(world.officer_a)
    assert officer.post(f"/org/people/{world.head_a.pk}/two-factor/reset/").status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=world.head_a).exists()
    admin = sign_in("admin")
    enrol(admin, world.admin)
    assert "重置两步验证" in admin.get(f"/org/people/{world.head_a.pk}/").content.decode()
    done = admin.post(f"/org/people/{world.head_a.pk}/two-factor/reset/", follow=True).content.decode()
    assert "已重置" in done
    assert not TOTPDevice.objects.filter(user=world.head_a, confirmed=True).exists()
    assert not RecoveryCode.objects.filter(person=world.head_a).exists()
    assert LedgerEvent.objects.filter(kind="org.person.two_factor_reset", object_id=str(world.head_a.pk)).exists()
    assert sign_in("head_a").get("/cases/")["Location"].startswith("/org/two-factor/setup/")  # enrols again


def test_the_api_reports_and_resets(world):
    from rest_framework.test import APIClient

    enrol(sign_in("head_a"), world.head_a)
    head = APIClient()
    head.force_authenticate(world.head_a)
    assert head.get("/api/v1/me/two-factor/").json() == {"required": True, "enrolled": True, "recovery_codes_left": 10}
    assert head.post(f"/api/v1/people/{world.head_a.pk}/two-factor/reset/").status_code == 403
    admin = APIClient()
    admin.force_authenticate(world.admin)
    answer = admin.post(f"/api/v1/people/{world.head_a.pk}/two-factor/reset/")
    assert answer.status_code == 200 and answer.json()["enrolled"] is False


def test_a_session_from_before_the_rule_is_asked_once(world):
    client = Client()
    client.force_login(world.reviewer_a)
    session = client.session
    session.pop(twofactor.SESSION_KEY, None)
    session.save()
    assert client.get("/cases/")["Location"].startswith("/org/two-factor/setup/")


def test_bad_codes_get_a_message_not_an_error(world):
    client = sign_in("head_a")
    for code in ["", "x" * 500, "１２３４５６", "12\x00456", "<script>", "   "]:
        page = client.post("/org/two-factor/setup/", {"code": code})
        assert page.status_code == 400, code
        assert "<script>" not in page.content.decode().split("<main", 1)[1].replace("&lt;script&gt;", "")


def test_the_command_reports_and_resets(world, capsys):
    from django.core.management import call_command

    enrol(sign_in("head_a"), world.head_a)
    call_command("twofactor", "status", "head_a")
    assert "岗位要求两步验证；已绑定手机验证器，剩余恢复码 10 个" in capsys.readouterr().out
    call_command("twofactor", "reset", "head_a")
    assert "已重置 head_a" in capsys.readouterr().out
    assert not twofactor.enrolled(world.head_a)
    assert LedgerEvent.objects.filter(kind="org.person.two_factor_reset", object_id=str(world.head_a.pk)).exists()
    call_command("twofactor", "reset", "head_a")
    assert "尚未绑定" in capsys.readouterr().out
