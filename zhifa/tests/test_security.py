"""等保 2.0 level 3, login and sessions (docs/security.md): wrong passwords lock the account on every login form,
an administrator can lift the lock (on the ledger), every attempt is logged, sessions end when idle and after a
fixed lifetime, and production refuses to start without real keys."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zhifa.core.security import SEEN_AT, SIGNED_IN_AT
from zhifa.ledger.models import LedgerEvent
from zhifa.org import services
from zhifa.org.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def login(client, username, password, path="/login/"):
    return client.post(path, {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get("/cases/").status_code == 200


def test_wrong_passwords_lock_the_account_even_against_the_right_password(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = login(client, "officer_a", "wrong-password")
        assert page.status_code == 200 and "用户名或密码错误" in page.content.decode()
    page = login(client, "officer_a", "wrong-password")  # the last one allowed sets the lock
    assert page.status_code == 429 and "连续 5 次密码错误" in page.content.decode()
    page = login(client, "officer_a", PASSWORD)
    assert page.status_code == 429 and "已被锁定 30 分钟" in page.content.decode() and "联系系统管理员" in page.content.decode()
    assert not signed_in(client)
    # From another browser and address too: the account is locked, not the address.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert login(other, "officer_a", PASSWORD).status_code == 429
    # Other accounts are not affected.
    assert login(Client(), "head_a", PASSWORD).status_code == 302


def test_the_admin_site_counts_and_refuses_the_same_way(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "admin", "wrong-password", "/admin/login/")
    page = login(client, "admin", PASSWORD, "/admin/login/")
    assert page.status_code == 429 and "已被锁定" in page.content.decode()
    assert login(Client(), "admin", PASSWORD).status_code == 429  # the staff login page as well


def test_a_right_password_before_the_limit_starts_the_count_again(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "officer_a", "wrong-password")
    assert login(client, "officer_a", PASSWORD).status_code == 302
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "officer_a", "wrong-password")
    assert login(client, "officer_a", PASSWORD).status_code == 302


def test_the_lock_runs_out_after_the_cool_off(world, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(Client(), "officer_a", "wrong-password")
        assert login(Client(), "officer_a", PASSWORD).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
        assert login(Client(), "officer_a", PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=2))
        assert login(Client(), "officer_a", PASSWORD).status_code == 302


def test_an_administrator_unlocks_on_the_ledger_and_nobody_else_may(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "officer_a", "wrong-password")
    assert [row["username"] for row in services.locked_accounts()] == ["officer_a"]
    with pytest.raises(PermissionDenied):
        services.unlock_login(world.head_a, "officer_a")
    assert login(Client(), "officer_a", PASSWORD).status_code == 429
    cleared = services.unlock_login(world.admin, "officer_a")
    assert cleared >= settings.AXES_FAILURE_LIMIT
    event = LedgerEvent.objects.filter(kind="org.person.login_unlocked").get()
    assert event.parsed["data"] == {"username": "officer_a", "failures": cleared}
    assert event.actor_id == world.admin.pk and event.object_id == str(world.officer_a.pk)
    assert services.locked_accounts() == []
    assert login(Client(), "officer_a", PASSWORD).status_code == 302
    assert services.unlock_login(world.admin, "officer_a") == 0  # nothing locked: nothing recorded
    assert LedgerEvent.objects.filter(kind="org.person.login_unlocked").count() == 1


def test_the_cli_lists_and_unlocks(world, settings, capsys):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "officer_a", "wrong-password")
    call_command("logins", "locked")
    assert "officer_a\t连续失败 5 次" in capsys.readouterr().out
    call_command("logins", "unlock", "officer_a")
    assert "已解除 officer_a 的登录锁定" in capsys.readouterr().out
    assert not AccessAttempt.objects.exists()
    call_command("logins", "log", "officer_a")
    out = capsys.readouterr().out
    assert out.count("密码错误") == settings.AXES_FAILURE_LIMIT - 1 and "已锁定" in out


def test_every_success_and_failure_is_logged_and_kept_six_months(world, settings, capsys):
    login(Client(), "officer_a", "wrong-password")
    login(Client(), "officer_a", PASSWORD)
    assert AccessFailureLog.objects.filter(username="officer_a").count() == 1
    assert AccessLog.objects.filter(username="officer_a").count() == 1
    old = timezone.now() - dt.timedelta(days=settings.ZHIFA_LOGIN_LOG_DAYS + 1)
    stale = AccessLog.objects.create(username="officer_a", ip_address="10.0.0.1", user_agent="", http_accept="", path_info="/login/")
    AccessLog.objects.filter(pk=stale.pk).update(attempt_time=old)
    call_command("logins", "prune")
    assert "已删除 180 天以前的登录记录 1 条" in capsys.readouterr().out
    assert AccessLog.objects.filter(username="officer_a").count() == 1  # the recent one is kept
    assert settings.ZHIFA_LOGIN_LOG_DAYS >= 180


def test_an_idle_session_ends_after_thirty_minutes(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        assert login(client, "officer_a", PASSWORD).status_code == 302
        clock.shift(dt.timedelta(minutes=29))
        assert signed_in(client)
        clock.shift(dt.timedelta(minutes=29))  # active 29 minutes ago: still in
        assert signed_in(client)
        clock.shift(dt.timedelta(minutes=31))
        page = client.get("/cases/?q=x")
        assert page.status_code == 302 and page["Location"].startswith("/login/?next=")
        assert "长时间未操作，已自动退出" in client.get(page["Location"]).content.decode()
        assert not signed_in(client)


def test_a_session_ends_after_its_lifetime_however_active(world, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        login(client, "officer_a", PASSWORD)
        for _ in range(settings.ZHIFA_SESSION_MAX_HOURS * 3):
            clock.shift(dt.timedelta(minutes=20))
            assert signed_in(client)
        clock.shift(dt.timedelta(minutes=20))
        answer = client.get("/api/v1/cases/")
        assert answer.status_code == 401 and "请重新登录" in answer.json()["detail"]
        assert not signed_in(client)


def test_the_last_request_time_is_written_at_most_once_a_minute(world):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        login(client, "officer_a", PASSWORD)
        first = client.session[SEEN_AT]
        assert client.session[SIGNED_IN_AT] == first
        clock.shift(dt.timedelta(seconds=30))
        signed_in(client)
        assert client.session[SEEN_AT] == first
        clock.shift(dt.timedelta(seconds=31))
        signed_in(client)
        assert client.session[SEEN_AT] == first + 61


def _check(env_extra: dict, *args) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "ZHIFA_PRODUCTION": "1", **env_extra}
    return subprocess.run([sys.executable, "manage.py", "check", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_real_keys(tmp_path):
    good = {
        "ZHIFA_VAR_DIR": str(tmp_path), "ZHIFA_SECRET_KEY": "k" * 20 + "Zq7-Xw9_Lp3#Vn5!Rt2@Hs8$Jd4%Mf6^Bg1&Cy0*" + "e" * 10,
        "ZHIFA_ALLOWED_HOSTS": "zhifa.example.gov.cn", "ZHIFA_LEDGER_KEY_FILE": str(tmp_path / "ledger.pem"),
        "ZHIFA_LEDGER_KEY_PASSPHRASE": "口令-7f3a", "ZHIFA_FIELD_KEYS": "2:" + "3a" * 16 + ",1:" + "c4" * 16,
    }
    for missing, message in [("ZHIFA_SECRET_KEY", "ZHIFA_SECRET_KEY"), ("ZHIFA_ALLOWED_HOSTS", "ZHIFA_ALLOWED_HOSTS"),
                             ("ZHIFA_LEDGER_KEY_PASSPHRASE", "ZHIFA_LEDGER_KEY_FILE"), ("ZHIFA_FIELD_KEYS", "ZHIFA_FIELD_KEYS")]:
        result = _check({k: v for k, v in good.items() if k != missing})
        assert result.returncode != 0 and message in result.stderr and "生产环境" in result.stderr, missing
    demo = _check({**good, "ZHIFA_SECRET_KEY": "zhifa-insecure-demo-key-change-me-in-production"})
    assert demo.returncode != 0 and "不能使用演示密钥" in demo.stderr
    bad_key = _check({**good, "ZHIFA_FIELD_KEYS": "1:short"})
    assert bad_key.returncode != 0 and "32 位十六进制" in bad_key.stderr
    no_second_factor = _check({**good, "ZHIFA_TWO_FACTOR_ROLES": ""})
    assert no_second_factor.returncode != 0 and "ZHIFA_TWO_FACTOR_ROLES" in no_second_factor.stderr
    deploy = _check(good, "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr


def test_the_login_security_page_lists_and_unlocks_for_administrators_only(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "officer_a", "wrong-password")
    head = Client()
    head.force_login(world.head_a)
    assert head.get("/org/logins/").status_code == 403
    assert head.post("/org/logins/", {"username": "officer_a"}).status_code == 403
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/org/logins/").content.decode()
    assert "officer_a" in page and "连续失败" in page and "密码错误，账号被锁定" in page and "登录安全" in page
    done = admin.post("/org/logins/", {"username": "officer_a"}, follow=True).content.decode()
    assert "已解除 officer_a 的登录锁定" in done and "目前没有被锁定的账号" in done
    assert login(Client(), "officer_a", PASSWORD).status_code == 302
    assert "登录成功" in admin.get("/org/logins/?username=officer_a").content.decode()


def test_the_api_lists_and_unlocks_for_administrators_only(world, settings):
    from rest_framework.test import APIClient

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "officer_a", "wrong-password")
    officer = APIClient()
    officer.force_authenticate(world.officer_county)
    assert officer.get("/api/v1/logins/locked/").status_code == 403
    assert officer.post("/api/v1/logins/locked/officer_a/unlock/").status_code == 403
    admin = APIClient()
    admin.force_authenticate(world.admin)
    assert [a["username"] for a in admin.get("/api/v1/logins/locked/").json()] == ["officer_a"]
    records = admin.get("/api/v1/logins/?username=officer_a&limit=999999999999").json()
    assert records[0]["outcome"] == "locked" and {r["outcome"] for r in records} == {"locked", "failure"}
    answer = admin.post("/api/v1/logins/locked/officer_a/unlock/").json()
    assert answer["username"] == "officer_a" and answer["cleared"] >= settings.AXES_FAILURE_LIMIT
    assert admin.get("/api/v1/logins/locked/").json() == []
    bad = admin.post("/api/v1/logins/locked/a%07b/unlock/")
    assert bad.status_code == 400 and "detail" in bad.json()


def change(client, old, new):
    return client.post("/org/password/", {"old_password": old, "new_password": new, "confirm": new})


@pytest.mark.parametrize("weak", ["abcdefgh1", "ABCDEFGH1", "abcdEFGHij", "zhifa2026zhifa"])
def test_a_password_needs_three_kinds_of_character(world, weak):
    client = Client()
    client.force_login(world.officer_a)
    page = change(client, PASSWORD, weak)
    assert page.status_code == 400 and "至少 3 类" in page.content.decode()
    assert world.officer_a.__class__.objects.get(pk=world.officer_a.pk).check_password(PASSWORD)


def test_none_of_the_last_five_passwords_again(world):
    from zhifa.org.models import Person

    client = Client()
    client.force_login(world.officer_a)
    assert "最近 5 次" in change(client, PASSWORD, PASSWORD).content.decode()  # the current one
    passwords = [f"Zhifa@{n}x" for n in range(2030, 2036)]
    current = PASSWORD
    for new in passwords[:5]:
        assert change(client, current, new).status_code == 302, new
        current = new
    # Five changes later the first password has dropped out of the last five and may come back; the others may not.
    for reused in [PASSWORD, *passwords[1:5]]:
        page = change(client, current, reused)
        if reused == PASSWORD:
            assert page.status_code == 302  # six changes ago: allowed again
            current = reused
            continue
        assert page.status_code == 400 and "不能使用最近 5 次用过的密码" in page.content.decode(), reused
    assert Person.objects.get(pk=world.officer_a.pk).check_password(current)
    assert LedgerEvent.objects.filter(kind="org.person.password_changed").count() == 6
    assert not LedgerEvent.objects.filter(entry__contains="Zhifa@2030x").exists()


def test_a_wrong_old_password_changes_nothing(world):
    client = Client()
    client.force_login(world.officer_a)
    page = change(client, "not-my-password", "Another#Pass9")
    assert page.status_code == 400 and "原密码不正确" in page.content.decode()
    assert not LedgerEvent.objects.filter(kind="org.person.password_changed").exists()


def test_an_expired_password_must_be_changed_before_anything_else(world, settings):
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.ZHIFA_PASSWORD_MAX_DAYS + 1), tick=False):
        client = Client()
        assert login(client, "officer_a", PASSWORD).status_code == 302
        page = client.get("/cases/")
        assert page.status_code == 302 and page["Location"] == "/org/password/"
        assert "密码已超过规定期限未修改" in client.get("/org/password/").content.decode()
        assert client.get("/api/v1/cases/").status_code == 403
        assert change(client, PASSWORD, "Renewed#2027").status_code == 302
        assert signed_in(client)  # still signed in, and free to go on
        assert login(Client(), "officer_a", "Renewed#2027").status_code == 302


def test_a_fresh_password_is_not_expired(world, settings):
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.ZHIFA_PASSWORD_MAX_DAYS - 1), tick=False):
        client = Client()
        login(client, "officer_a", PASSWORD)
        assert signed_in(client)


def test_the_api_changes_the_password_by_the_same_rules(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.officer_a)
    weak = api.post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": "abcdefgh"}, format="json")
    assert weak.status_code == 400 and "new_password" in weak.json()["errors"]
    wrong = api.post("/api/v1/me/password/", {"old_password": "nope", "new_password": "Good#Pass2027"}, format="json")
    assert wrong.status_code == 400 and "原密码不正确" in str(wrong.json())
    assert api.post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": "Good#Pass2027"}, format="json").status_code == 204
    assert login(Client(), "officer_a", "Good#Pass2027").status_code == 302


def test_changing_an_expired_password_through_the_api_keeps_the_session(world, settings):
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.ZHIFA_PASSWORD_MAX_DAYS + 1), tick=False):
        client = Client()
        login(client, "officer_a", PASSWORD)
        assert client.get("/api/v1/cases/").status_code == 403
        answer = client.post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": "Renewed#2027"}, content_type="application/json")
        assert answer.status_code == 204
        assert client.get("/api/v1/cases/").status_code == 200 and signed_in(client)


def test_the_cli_log_for_one_person_is_not_hidden_by_newer_records_of_others(world, capsys):
    login(Client(), "officer_a", "wrong-password")
    for _ in range(3):
        login(Client(), "head_a", "wrong-password")
    call_command("logins", "log", "officer_a", "--limit", "2")
    out = capsys.readouterr().out
    assert "officer_a" in out and "head_a" not in out


def test_the_api_answers_too_many_requests_in_chinese(world, settings):
    from rest_framework.test import APIClient

    from zhifa.org.services import issue_api_token

    settings.ZHIFA_API_RATE_USER, settings.ZHIFA_API_RATE_ANON = "5/min", "3/min"
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0  # a cached public answer costs nothing and is not counted
    _, key = issue_api_token(None, world.officer_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [api.get("/api/v1/me/").status_code for _ in range(5)] == [200] * 5
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 429 and "请求过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) > 0
    other = APIClient()
    other.force_authenticate(world.officer_county)
    assert other.get("/api/v1/me/").status_code == 200  # per person, not for everyone
    anonymous = APIClient(REMOTE_ADDR="10.9.9.9")
    codes = [anonymous.get("/api/v1/public/agencies/").status_code for _ in range(4)]
    assert codes[:3] == [200] * 3 and codes[3] == 429
    assert APIClient(REMOTE_ADDR="10.9.9.10").get("/api/v1/public/agencies/").status_code == 200
    # A forged X-Forwarded-For does not give a caller a fresh allowance unless a proxy is trusted.
    assert anonymous.get("/api/v1/public/agencies/", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429
    settings.ZHIFA_NUM_PROXIES = 1  # behind nginx: the address nginx saw counts
    assert anonymous.get("/api/v1/public/agencies/", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 200


def test_one_address_failing_against_many_accounts_is_stopped(world, settings):
    settings.ZHIFA_LOGIN_FAILURES_PER_ADDRESS = 4
    sprayer = Client(REMOTE_ADDR="10.7.7.7")
    names = ["officer_a", "officer_county", "officer_other", "reviewer_a"]
    assert [login(sprayer, name, "Summer2026!").status_code for name in names] == [200] * 4  # wrong, one each
    refused = login(sprayer, "head_a", PASSWORD)  # even the right password, from that address
    assert refused.status_code == 429 and "本机登录失败次数过多" in refused.content.decode() and refused["Retry-After"]
    assert login(Client(REMOTE_ADDR="10.7.7.8"), "head_a", PASSWORD).status_code == 302  # other addresses sign in
    assert not AccessAttempt.objects.filter(username="officer_a", failures_since_start__gte=2).exists()  # no account locked


def test_a_limit_or_window_of_zero_turns_the_address_limit_off(world, settings):
    settings.ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES = 0
    assert [login(Client(), "officer_a", "wrong").status_code for _ in range(2)] == [200, 200]
    settings.ZHIFA_LOGIN_ADDRESS_WINDOW_MINUTES, settings.ZHIFA_LOGIN_FAILURES_PER_ADDRESS = 10, 0
    assert login(Client(), "officer_county", "wrong").status_code == 200


def test_an_office_signing_in_together_is_not_stopped(world, settings):
    settings.ZHIFA_LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ["officer_a", "officer_county", "officer_other", "reviewer_a", "head_a", "sup_city", "sup_prov"]:
        assert login(Client(REMOTE_ADDR="10.7.7.9"), name, PASSWORD).status_code == 302


def test_guessing_the_old_password_from_a_borrowed_session_stops(world):
    client = Client()
    client.force_login(world.officer_a)
    for _ in range(5):
        page = client.post("/org/password/", {"old_password": "guess", "new_password": "Xy7#abcdef", "confirm": "Xy7#abcdef"})
        assert "原密码不正确" in page.content.decode()
    page = client.post("/org/password/", {"old_password": PASSWORD, "new_password": "Xy7#abcdef", "confirm": "Xy7#abcdef"})
    assert page.status_code == 400 and "原密码连续输错" in page.content.decode()
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(PASSWORD)
