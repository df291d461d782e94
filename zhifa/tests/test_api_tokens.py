"""等保 2.0 level 3, API tokens (docs/security.md): stored as SM3 hashes, shown once, expiring, revocable, listed per
person; an expired, revoked or unknown token, or one whose person left, is refused with a Chinese message."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.ledger import verification
from zhifa.ledger.models import LedgerEvent
from zhifa.org import services
from zhifa.org.models import ApiToken


def bearer(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_reaches_the_api_until_it_expires_or_is_revoked(world):
    token, key = services.issue_api_token(world.admin, world.officer_a, label="市级平台", days=30)
    assert key.startswith("zf_") and len(key) > 40 and token.prefix == key[:10]
    assert not ApiToken.objects.filter(digest=key).exists() and token.digest == services.token_fingerprint(key)
    answer = bearer(key).get("/api/v1/me/")
    assert answer.status_code == 200 and answer.json()["username"] == "officer_a"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, seconds=1)):
        late = bearer(key).get("/api/v1/me/")
    assert late.status_code == 401 and late.json()["detail"] == "令牌已过期，请重新签发。"
    assert services.revoke_api_token(world.officer_a, token)
    revoked = bearer(key).get("/api/v1/me/")
    assert revoked.status_code == 401 and revoked.json()["detail"] == "令牌已被吊销。"
    assert revoked["WWW-Authenticate"] == "Token"
    assert not services.revoke_api_token(world.officer_a, token)  # once
    assert list(LedgerEvent.objects.filter(object_type="org.apitoken").values_list("kind", flat=True)) == [
        "org.api_token.issued", "org.api_token.revoked",
    ]
    assert not LedgerEvent.objects.filter(entry__contains=key).exists()
    assert verification.verify(check_files=False).ok


@pytest.mark.parametrize("header", [
    "Token zf_" + "x" * 43, "Token 0123456789abcdef0123456789abcdef01234567", "Token", "Token a b", "Bearer zf_nothing",
    "Token " + "zf_" + "é" * 10, "Token zf_" + "a" * 5000,
])
def test_unknown_or_malformed_tokens_are_refused_in_chinese(world, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    answer = api.get("/api/v1/me/")
    assert answer.status_code == 401 and "令牌" in answer.json()["detail"]


def test_a_person_who_left_cannot_use_their_token(world):
    _, key = services.issue_api_token(None, world.officer_a)
    world.officer_a.is_active = False
    world.officer_a.save(update_fields=["is_active"])
    answer = bearer(key).get("/api/v1/me/")
    assert answer.status_code == 401 and answer.json()["detail"] == "该人员已停用。"


def test_issue_limits_and_who_may_issue(world, settings):
    with pytest.raises(Exception, match="1–365"):
        services.issue_api_token(world.officer_a, world.officer_a, days=366)
    with pytest.raises(Exception, match="1–365"):
        services.issue_api_token(world.officer_a, world.officer_a, days=0)
    with pytest.raises(Exception, match="只能为本人"):
        services.issue_api_token(world.officer_a, world.officer_county)
    with pytest.raises(Exception):
        services.issue_api_token(world.officer_a, world.officer_a, label="a\x00b")
    for _ in range(services.MAX_ACTIVE_TOKENS):
        services.issue_api_token(world.officer_a, world.officer_a)
    with pytest.raises(Exception, match="最多 10 个"):
        services.issue_api_token(world.officer_a, world.officer_a)
    assert ApiToken.objects.filter(person=world.officer_a).count() == services.MAX_ACTIVE_TOKENS


def test_the_api_issues_once_lists_without_secrets_and_never_from_a_token(world):
    session = APIClient()
    session.force_login(world.officer_a)
    issued = session.post("/api/v1/me/tokens/", {"label": "对接", "days": 7}, format="json")
    assert issued.status_code == 201
    key = issued.json()["token"]
    assert issued.json()["state"] == "active" and issued.json()["label"] == "对接"
    listed = session.get("/api/v1/me/tokens/").json()
    assert len(listed) == 1 and "token" not in listed[0] and key not in str(listed) and listed[0]["prefix"] == key[:10]
    refused = bearer(key).post("/api/v1/me/tokens/", {"days": 365}, format="json")
    assert refused.status_code == 403 and "不能用来签发新令牌" in refused.json()["detail"]
    bad = session.post("/api/v1/me/tokens/", {"days": 10**30}, format="json")
    assert bad.status_code == 400
    other = APIClient()
    other.force_login(world.officer_county)
    assert other.get(f"/api/v1/people/{world.officer_a.pk}/tokens/").status_code in (403, 404)
    assert other.post(f"/api/v1/tokens/{listed[0]['id']}/revoke/").status_code == 404
    admin = APIClient()
    admin.force_login(world.admin)
    assert [t["id"] for t in admin.get(f"/api/v1/people/{world.officer_a.pk}/tokens/").json()] == [listed[0]["id"]]
    revoked = admin.post(f"/api/v1/tokens/{listed[0]['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert bearer(key).get("/api/v1/me/").status_code == 401


def test_the_account_page_shows_a_new_token_once_and_revokes(world):
    client = Client()
    client.force_login(world.officer_a)
    page = client.post("/org/account/", {"action": "issue", "label": "市级平台", "days": "30"}).content.decode()
    token = ApiToken.objects.get(person=world.officer_a)
    key = page.split('<code class="secret">', 1)[1].split("</code>", 1)[0]
    assert token.digest == services.token_fingerprint(key) and "只显示这一次" in page
    again = client.get("/org/account/").content.decode()
    assert key not in again and token.prefix in again and "市级平台" in again and "有效" in again
    bad = client.post("/org/account/", {"action": "issue", "days": "99999"})
    assert bad.status_code == 400 and "有效期须为 1–365 天" in bad.content.decode()
    done = client.post(f"/org/tokens/{token.pk}/revoke/", follow=True).content.decode()
    assert "已吊销接口令牌" in done and "已吊销" in done
    stranger = Client()
    stranger.force_login(world.officer_county)
    assert stranger.post(f"/org/tokens/{token.pk}/revoke/").status_code == 404


def test_an_administrator_sees_and_revokes_a_persons_tokens_on_their_page(world):
    token, key = services.issue_api_token(None, world.officer_a, label="旧系统")
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get(f"/org/people/{world.officer_a.pk}/").content.decode()
    assert token.prefix in page and "旧系统" in page and key not in page
    done = admin.post(f"/org/tokens/{token.pk}/revoke/")
    assert done.status_code == 302 and done["Location"] == f"/org/people/{world.officer_a.pk}/"
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_command_refuses_in_chinese_without_a_traceback(world):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="有效期须为 1–365 天"):
        call_command("token", "issue", "officer_a", "--days", "999")
    with pytest.raises(CommandError, match="只能为本人或所管理执法主体的人员签发接口令牌"):
        call_command("token", "issue", "officer_county", "--as", "officer_a")
    assert not ApiToken.objects.exists()
