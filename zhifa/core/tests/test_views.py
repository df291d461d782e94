import pytest

from zhifa.core.models import HolidayOverride

pytestmark = pytest.mark.django_db


def test_calendar_page(world, client):
    client.force_login(world.officer_a)
    body = client.get("/calendar/?year=2026").content.decode()
    assert "2026年工作日历" in body and "248" in body and "官方安排" in body
    body = client.get("/calendar/?year=2027").content.decode()
    assert "暂估" in body
    assert client.get("/calendar/?year=abc").status_code == 200


def test_deadline_page_and_htmx_fragment(world, client):
    client.force_login(world.officer_a)
    body = client.get("/calendar/deadline/", {"start": "2026-02-12", "amount": "7", "unit": "WD"}).content.decode()
    assert "2026年2月28日" in body
    frag = client.get("/calendar/deadline/", {"start": "2026-02-12", "amount": "7", "unit": "WD"}, HTTP_HX_REQUEST="true")
    assert "<html" not in frag.content.decode() and "2026年2月28日" in frag.content.decode()
    bad = client.get("/calendar/deadline/", {"start": "2026-02-30", "amount": "-1", "unit": "X"}).content.decode()
    assert "起算日" in bad and "期间" in bad and "单位" in bad


def test_override_form(world, client):
    client.force_login(world.officer_a)
    r = client.post("/calendar/overrides/", {"date": "2027-01-01", "name": "元旦"})
    assert r.status_code == 403 and not HolidayOverride.objects.exists()
    client.force_login(world.admin)
    r = client.post("/calendar/overrides/", {"date": "not-a-date", "name": ""})
    assert r.status_code == 302 and not HolidayOverride.objects.exists()
    r = client.post("/calendar/overrides/", {"date": "2027-01-01", "name": "元旦", "source": "国办通知"})
    assert r.status_code == 302 and HolidayOverride.objects.get().name == "元旦"
    r = client.post("/calendar/publish/", {"year": "2028", "source": "x"}, follow=True)
    assert "尚未录入任何节假日调整" in r.content.decode()


def test_unknown_page_is_chinese_404(client):
    r = client.get("/no/such/page/")
    assert r.status_code == 404 and "页面不存在" in r.content.decode()


def test_csrf_failure_is_chinese(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.admin)
    r = c.post("/calendar/overrides/", {"date": "2027-01-01", "name": "元旦"})
    assert r.status_code == 403 and "请求校验失败" in r.content.decode()
    assert not HolidayOverride.objects.exists()
