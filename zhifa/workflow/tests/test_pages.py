"""The notification centre, the subscription pages and the jobs page; their API; who may see what; bad input."""

import pytest

from zhifa.workflow import services
from zhifa.workflow.models import Category, Notification, Subscription


@pytest.fixture
def notices(world):
    for i in range(3):
        services.notify([world.officer_a], category=Category.DEADLINE, title=f"期限提醒 {i}", link="/cases/", key=f"k{i}")
    services.notify([world.officer_other], category=Category.DEADLINE, title="别人的", key="x")
    return list(Notification.objects.filter(recipient=world.officer_a).order_by("id"))


def test_the_header_counts_unread_and_the_centre_marks_read(client, world, notices):
    client.force_login(world.officer_a)
    page = client.get("/notifications/").content.decode()
    assert 'id="notification-count"' in page and '<span class="count">3</span>' in page
    assert "期限提醒 2" in page and "别人的" not in page
    response = client.post(f"/notifications/{notices[0].pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert '<span class="count">2</span>' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert '<span class="count">' not in client.get("/").content.decode()


def test_nobody_opens_or_marks_another_persons_notice(client, world, notices):
    theirs = Notification.objects.get(recipient=world.officer_other)
    client.force_login(world.officer_a)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    api = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert api.status_code == 404 and "通知" in api.json()["detail"]


def test_an_outside_link_is_never_followed(client, world):
    services.notify([world.officer_a], category=Category.SYSTEM, title="钓鱼", link="https://evil.example.com/", key="evil")
    n = Notification.objects.get(key="evil")
    client.force_login(world.officer_a)
    assert client.post(f"/notifications/{n.pk}/open/")["Location"] == "/notifications/"


def test_preferences_page_and_api(client, world):
    client.force_login(world.officer_a)
    assert client.get("/notifications/settings/").status_code == 200
    assert client.post("/notifications/settings/", {"email_categories": ["nonsense"]}).status_code == 400
    client.post("/notifications/settings/", {"email_categories": ["review", "deadline"]})
    assert client.get("/api/v1/notifications/preferences/").json() == {"email_categories": ["deadline", "review"]}
    bad = client.put("/api/v1/notifications/preferences/", {"email_categories": ["x"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"] == "提交的数据有误，未作任何修改。"
    assert client.put("/api/v1/notifications/preferences/", {"email_categories": []}, content_type="application/json").json() == {"email_categories": []}


def test_the_notification_api_lists_only_ones_own_newest_first(client, world, notices):
    client.force_login(world.officer_a)
    data = client.get("/api/v1/notifications/?unread=true").json()
    assert [r["title"] for r in data["results"]] == ["期限提醒 2", "期限提醒 1", "期限提醒 0"]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 3}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_an_administrator_adds_a_subscription_on_the_page_and_sees_the_secret_once(client, world):
    client.force_login(world.admin)
    response = client.post("/webhooks/", {"name": "省级监督平台", "url": "https://supervise.example.gov.cn/hook", "algorithm": "hmac-sm3",
                                          "kinds": ["ledger.verified"], "active": "on"})
    sub = Subscription.objects.get()
    assert response.status_code == 302
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert sub.secret in page
    assert sub.secret not in client.get(f"/webhooks/{sub.pk}/").content.decode()  # once
    bad = client.post("/webhooks/", {"name": "x", "url": "ftp://a.b/c", "algorithm": "hmac-sm3", "kinds": ["ledger.verified"]})
    assert bad.status_code == 400 and Subscription.objects.count() == 1


@pytest.mark.parametrize("path", ["/webhooks/", "/api/v1/webhooks/subscriptions/", "/api/v1/webhooks/deliveries/"])
def test_only_administrators_see_subscriptions(client, world, path):
    for person in (world.officer_a, world.head_a, world.city_supervisor):
        client.force_login(person)
        assert client.get(path).status_code == 403


def test_the_subscription_api_creates_refuses_and_never_lists_the_secret(client, world):
    client.force_login(world.admin)
    created = client.post("/api/v1/webhooks/subscriptions/", {"name": "平台", "url": "https://a.example.gov.cn/h", "kinds": ["ledger.verified"]},
                          content_type="application/json")
    assert created.status_code == 201 and len(created.json()["secret"]) >= 32
    listed = client.get("/api/v1/webhooks/subscriptions/").json()
    assert "secret" not in listed["results"][0]
    for body in ({"name": "平台", "url": "https://b.example.gov.cn/h", "kinds": ["ledger.verified"]},
                 {"name": "乙", "url": "https://b.example.gov.cn/h", "kinds": ["nope"]},
                 {"name": "丙", "url": "https://b.example.gov.cn/h", "kinds": "ledger.verified" * 1000},
                 {"name": "丁", "url": "https://b.example.gov.cn/h", "kinds": ["ledger.verified"], "agencies": [10**20]}):
        refused = client.post("/api/v1/webhooks/subscriptions/", body, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["detail"] == "提交的数据有误，未作任何修改。", body
    assert Subscription.objects.count() == 1
    sub = Subscription.objects.get()
    patched = client.patch(f"/api/v1/webhooks/subscriptions/{sub.pk}/", {"active": False}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["active"] is False


def test_the_jobs_page_is_for_administrators_and_supervisors(client, world):
    client.force_login(world.city_supervisor)
    page = client.get("/jobs/").content.decode()
    assert "账本全量核验" in page and "每日 02:00" in page
    assert client.get("/api/v1/jobs/").status_code == 200
    client.force_login(world.officer_a)
    assert client.get("/jobs/").status_code == 403 and client.get("/api/v1/jobs/").status_code == 403


@pytest.mark.parametrize("count, shown", [(5, "5"), (99, "99"), (100, "99+")])
def test_a_todo_group_counts_to_99_then_says_more(count, shown):
    from django.template.loader import render_to_string

    from zhifa.workflow.rules import TodoGroup

    html = render_to_string("workflow/_todo.html", {"panel": {"groups": [TodoGroup("待我审批", count, [], "")]}})
    assert f'<span class="count">{shown}</span>' in html
