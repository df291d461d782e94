"""Public pages come from a cache keyed by the ledger's size and the date: a second visitor costs one query,
and no change recorded by a service (a withdrawal above all) is ever hidden behind a kept page."""

import datetime as dt
import socket

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.org import services as org
from zhifa.publicity import services
from zhifa.publicity.models import Publication

PERSON = {"kind": "organisation", "name": "嘉兴某化工有限公司", "id_code": "91330400MA2B3C4D5E", "address": "嘉兴市南湖区"}


@pytest.fixture
def published(world):
    return services.release(world.reviewer_a, Publication.objects.get(document=onsite_decision_in(world, world.city_a, party=PERSON)))


def get(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, len(captured)


PAGES = ["/gs/", "/gs/decisions/", "/gs/decisions/?q=化工", "/gs/officers/", "/gs/agencies/", "/api/v1/public/decisions/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache_with_one_query(world, published, path):
    client = Client()
    first, first_queries = get(client, path)
    second, second_queries = get(client, path)
    assert first.status_code == second.status_code == 200
    assert first["X-Zhifa-Cache"] == "miss" and second["X-Zhifa-Cache"] == "hit"
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]
    assert second_queries == 1 <= first_queries  # the ledger size, and nothing else


def test_a_withdrawal_shows_at_once_although_the_page_was_kept(world, published):
    client = Client()
    detail = f"/gs/decisions/{published.token}/"
    for path in (detail, "/gs/decisions/", "/gs/decisions/?q=化工"):
        assert published.decision_number in client.get(path).content.decode()
        assert client.get(path)["X-Zhifa-Cache"] == "hit"
    services.withdraw(world.head_a, published, reason="复议撤销", trigger="revoked", trigger_date=timezone.localdate())
    page = client.get(detail)
    assert page["X-Zhifa-Cache"] == "miss" and "撤回原因" in page.content.decode() and "决定内容" not in page.content.decode()
    assert published.decision_number not in client.get("/gs/decisions/?q=化工").content.decode()


def test_any_recorded_change_turns_every_page_over_and_so_does_midnight(world, published):
    client = Client()
    client.get("/gs/officers/")
    assert client.get("/gs/officers/")["X-Zhifa-Cache"] == "hit"
    org.update_person(world.admin, world.officer_a, full_name="张伟明")
    page = client.get("/gs/officers/")
    assert page["X-Zhifa-Cache"] == "miss" and "张伟明" in page.content.decode()
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    with time_machine.travel(tomorrow.replace(hour=0, minute=1), tick=False):
        assert client.get("/gs/officers/")["X-Zhifa-Cache"] == "miss"


def test_signed_in_people_htmx_posts_errors_and_cookies_never_use_the_cache(world, published):
    staff = Client()
    staff.force_login(world.officer_a)
    for _ in range(2):
        assert "X-Zhifa-Cache" not in staff.get("/gs/decisions/")
    anonymous = Client()
    for _ in range(2):
        assert "X-Zhifa-Cache" not in anonymous.get("/gs/decisions/", HTTP_HX_REQUEST="true")
        assert anonymous.get("/gs/decisions/no-such-token/").status_code == 404
    assert "X-Zhifa-Cache" not in anonymous.get("/gs/decisions/no-such-token/")
    assert "X-Zhifa-Cache" not in anonymous.get("/cases/")  # not a public prefix (and a redirect to the login)


def test_off_when_the_setting_is_zero(world, published, settings):
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    client = Client()
    assert "X-Zhifa-Cache" not in client.get("/gs/decisions/") and "X-Zhifa-Cache" not in client.get("/gs/decisions/")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_a_redis_cache_is_shared_between_workers(world, published, settings):
    """With ZHIFA_CACHE_URL the workers of a server share one cache: what one rendered, another serves."""
    import os

    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis（127.0.0.1:6379）未运行：CI 下不得跳过。")
        pytest.skip("Redis 未运行")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1",
                  "KEY_PREFIX": f"zhifa-test-{os.getpid()}"},
    }
    caches["pages"].clear()
    try:
        assert Client().get("/gs/decisions/")["X-Zhifa-Cache"] == "miss"
        # Another worker: its own process memory, the same Redis.
        assert Client().get("/gs/decisions/")["X-Zhifa-Cache"] == "hit"
        services.withdraw(world.head_a, published, reason="复议撤销", trigger="revoked", trigger_date=timezone.localdate())
        assert Client().get("/gs/decisions/")["X-Zhifa-Cache"] == "miss"
    finally:
        caches["pages"].clear()
