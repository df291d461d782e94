"""Hostile input found by the attacker review: out-of-range integers, dates and years, deep JSON, control
characters and spreadsheet formulas. Each is a 400 in Chinese (or harmless), never a 500, and changes nothing."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from zhifa.core.models import HolidayOverride
from zhifa.org.models import Agency, Person

HUGE = "99999999999999999999"

API_400 = [
    f"/api/v1/agencies/?limit={HUGE}",
    f"/api/v1/agencies/?offset={HUGE}",
    f"/api/v1/people/?limit={HUGE}",
    f"/api/v1/credentials/?limit={HUGE}",
    f"/api/v1/ledger/events/?limit={HUGE}",
    f"/api/v1/ledger/tree-heads/?limit={HUGE}",
    f"/api/v1/ledger/keys/?limit={HUGE}",
    f"/api/v1/evidence/?limit={HUGE}",
    "/api/v1/agencies/?limit=-1",
    "/api/v1/agencies/?limit=abc",
    "/api/v1/workdays/day/?date=0733-01-05",
    "/api/v1/workdays/year/?year=2100",
    "/api/v1/calendar/overrides/?year=1048577",
    "/api/v1/workdays/deadline/?start=2099-12-30&amount=3650&unit=days",
    f"/api/v1/ledger/consistency/?first={HUGE}",
]


@pytest.mark.parametrize("url", API_400)
def test_out_of_range_query_is_a_chinese_400(world, url):
    api = APIClient()
    api.force_authenticate(world.admin)
    response = api.get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in json.dumps(response.json(), ensure_ascii=False))


@pytest.mark.parametrize("url", [f"/api/v1/ledger/tree-heads/?limit={HUGE}", f"/api/v1/ledger/keys/?offset={HUGE}"])
def test_anonymous_endpoints_refuse_huge_paging_too(world, url):
    assert APIClient().get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/calendar/?year=1048577", "/calendar/?year=2100", "/calendar/deadline/?start=0733-01-05&amount=5&unit=workdays",
     "/gs/decisions/?year=99999999999999", "/gs/decisions/open-data.json?year=99999999999", f"/gs/decisions/?page={HUGE}"],
)
def test_pages_never_500_on_out_of_range_values(world, url):
    client = Client()
    client.force_login(world.admin)
    assert client.get(url).status_code < 500


def test_deep_json_is_refused_and_changes_nothing(world):
    api = APIClient()
    api.force_authenticate(world.admin)
    before = HolidayOverride.objects.count()
    response = api.post("/api/v1/calendar/overrides/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400 and "嵌套" in response.json()["detail"]
    nested = {"date": "2026-10-10", "is_workday": True, "name": "x", "source": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}
    assert api.post("/api/v1/calendar/overrides/", nested, format="json").status_code == 400
    assert HolidayOverride.objects.count() == before


def test_override_outside_the_calendar_range_is_refused(world):
    api = APIClient()
    api.force_authenticate(world.admin)
    response = api.post("/api/v1/calendar/overrides/", {"date": "0733-01-05", "is_workday": True, "name": "x"}, format="json")
    assert response.status_code == 400 and not HolidayOverride.objects.exists()


@pytest.mark.parametrize("char", ["\u202e", "\x1b", "\x07", "\u2066", "\x85"])
def test_control_characters_are_refused_in_names_and_titles(world, char):
    api = APIClient()
    api.force_authenticate(world.admin)
    people = Person.objects.count()
    response = api.patch(f"/api/v1/people/{world.officer_a.pk}/", {"full_name": f"张{char}伟"}, format="json")
    assert response.status_code == 400
    world.officer_a.refresh_from_db()
    assert world.officer_a.full_name == "张伟" and Person.objects.count() == people
    page = Client()
    page.force_login(world.admin)
    response = page.get("/gs/officers/", {"q": f"张{char}"})
    assert response.status_code == 400


def test_services_refuse_control_characters_from_the_cli_too(world):
    from django.core.exceptions import ValidationError

    from zhifa.org import services

    with pytest.raises(ValidationError) as exc:
        services.update_agency(world.admin, world.city_a, name="嘉兴市\u202e局理管急应")
    assert "控制字符" in str(exc.value)
    assert Agency.objects.get(pk=world.city_a.pk).name == "嘉兴市应急管理局"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "＝1+1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    from zhifa.core.text import csv_cell

    assert csv_cell(value) == "'" + value
    assert csv_cell("嘉应急罚〔2026〕1号") == "嘉应急罚〔2026〕1号" and csv_cell(5) == 5


def test_control_characters_are_refused_in_public_lists_and_documents(world):
    from django.core.exceptions import ValidationError

    from zhifa.cases.tests.factories import open_penalty, team
    from zhifa.documents import services as docs
    from zhifa.powers import services as powers
    from zhifa.powers.models import ListKind, PublicItem

    with pytest.raises(ValidationError, match="控制字符"):
        powers.save_item(world.admin, world.city_a, list_kind=ListKind.POWERS, code="330217001", name="对\u202e罚处的为行法违", fields={})
    assert not PublicItem.objects.exists()
    case = open_penalty(world, team(world))
    with pytest.raises(ValidationError, match="控制字符"):
        docs.draft_document(world.officer_a, case, doc_type="investigation_report", content={"facts": "现场\x1b[31m检查"})
