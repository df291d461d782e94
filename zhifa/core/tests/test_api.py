import pytest
from rest_framework.test import APIClient

from zhifa.core.models import HolidayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    c = APIClient()
    c.force_authenticate(world.officer_a)
    return c


def test_deadline_endpoint(api):
    r = api.get("/api/v1/workdays/deadline/", {"start": "2026-02-12", "amount": 7, "unit": "WD", "basis": "行政处罚法第六十一条"})
    assert r.status_code == 200
    data = r.json()
    assert data["date"] == "2026-02-28" and data["provisional"] is False and data["rule"] == "7个工作日"
    r = api.get("/api/v1/workdays/deadline/", {"start": "2026-09-16", "amount": 15, "unit": "D"})
    assert r.json()["date"] == "2026-10-08" and r.json()["rolled"] is True
    r = api.get("/api/v1/workdays/deadline/", {"start": "2026-09-16", "amount": 15, "unit": "D", "roll_forward": "false"})
    assert r.json()["date"] == "2026-10-01"
    r = api.get("/api/v1/workdays/deadline/", {"start": "2026-12-20", "amount": 20, "unit": "WD"})
    assert r.json()["provisional"] is True


@pytest.mark.parametrize(
    "params",
    [{}, {"start": "2026-02-30", "amount": 1, "unit": "WD"}, {"start": "2026-02-01", "amount": -1, "unit": "WD"},
     {"start": "2026-02-01", "amount": "abc", "unit": "WD"}, {"start": "2026-02-01", "amount": 1, "unit": "年"},
     {"start": "2026-02-01", "amount": 10**9, "unit": "D"}],
)
def test_deadline_bad_input_is_400_in_chinese(api, params):
    r = api.get("/api/v1/workdays/deadline/", params)
    assert r.status_code == 400
    assert r.json()["detail"] == "提交的数据有误，未作任何修改。"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(r.json()["errors"]))


def test_day_endpoint(api):
    assert api.get("/api/v1/workdays/day/", {"date": "2026-10-10"}).json()["is_workday"] is True
    r = api.get("/api/v1/workdays/day/", {"date": "昨天"})
    assert r.status_code == 400 and "日期格式错误" in str(r.json())
    assert api.get("/api/v1/workdays/year/", {"year": "2026"}).json()["workdays"] == 248
    assert api.get("/api/v1/workdays/year/", {"year": "x"}).status_code == 400


def test_overrides_admin_only(world, api):
    r = api.post("/api/v1/calendar/overrides/", {"date": "2027-01-01", "is_workday": False, "name": "元旦"}, format="json")
    assert r.status_code == 403 and "系统管理员" in r.json()["detail"]
    assert not HolidayOverride.objects.exists()
    admin = APIClient()
    admin.force_authenticate(world.admin)
    r = admin.post("/api/v1/calendar/overrides/", {"date": "2027-01-01", "is_workday": False, "name": "元旦"}, format="json")
    assert r.status_code == 201
    r = admin.post("/api/v1/calendar/overrides/", {"date": "2027-01-01", "is_workday": False, "name": ""}, format="json")
    assert r.status_code == 400
    assert HolidayOverride.objects.get().name == "元旦"
    assert len(admin.get("/api/v1/calendar/overrides/?year=2027").json()) == 1
    assert admin.get("/api/v1/calendar/overrides/?year=abc").status_code == 400
    pk = HolidayOverride.objects.get().pk
    assert admin.delete(f"/api/v1/calendar/overrides/{pk}/").status_code == 204
    assert admin.delete("/api/v1/calendar/overrides/999/").status_code == 404
