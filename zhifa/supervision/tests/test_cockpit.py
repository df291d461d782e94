"""数据驾驶舱: each figure equals a direct SQL count over the same scope and period; a county supervisor's cockpit
counts only the county; drill-down, export and bad parameters."""

import io

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from zhifa.cases.tests.factories import case_in
from zhifa.core.roles import Role
from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.org.models import AgencyLevel
from zhifa.org.tests import factories as f
from zhifa.supervision import cockpit


def sql(query: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


@pytest.fixture
def activity(world):
    for agency in (world.city_a, world.city_a, world.county_a, world.other_city):
        case_in(world, agency)
    for agency in (world.city_a, world.county_a):
        onsite_decision_in(world, agency)
    return world


def test_figures_equal_direct_sql_counts(activity, world):
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    data = cockpit.cockpit(world.city_supervisor, "3304", start.isoformat(), today.isoformat())
    ids = [a.pk for a in data["scope"].agencies]
    assert world.other_city.pk not in ids and {world.city_a.pk, world.county_a.pk} <= set(ids)
    marks = ",".join(["%s"] * len(ids))
    total = data["total"]
    assert total["cases_opened"] == sql(f"SELECT COUNT(*) FROM cases_case WHERE agency_id IN ({marks}) AND opened_on BETWEEN %s AND %s", [*ids, start, today])
    assert total["cases_open"] == sql(f"SELECT COUNT(*) FROM cases_case WHERE agency_id IN ({marks}) AND status = 'open'", ids)
    assert total["decisions"] == sql(
        f"SELECT COUNT(*) FROM documents_document WHERE agency_id IN ({marks}) AND status = 'issued' AND issued_on BETWEEN %s AND %s "
        "AND doc_type IN ('penalty_decision', 'onsite_penalty_decision')", [*ids, start, today]) == 2
    assert total["clues_open"] == sql(f"SELECT COUNT(*) FROM supervision_clue WHERE agency_id IN ({marks}) AND is_open", ids)
    assert total["cases_opened"] == 5  # three cases and two on-the-spot decisions (each a case) in 嘉兴, none from 湖州
    parts = {label: t for _, label, t in data["parts"]}
    assert sum(t["cases_opened"] for t in parts.values()) == total["cases_opened"]


def test_a_county_supervisor_counts_only_the_county(activity, world, client):
    county_justice = f.agency("海盐县司法局", region="330424", level=AgencyLevel.COUNTY, supervisory=True)
    supervisor = f.person(county_justice, Role.SUPERVISOR, full_name="县监督员")
    data = cockpit.cockpit(supervisor)
    assert [a.pk for a in data["scope"].agencies] == [world.county_a.pk] and data["total"]["cases_opened"] == 2
    client.force_login(supervisor)
    assert client.get("/supervision/?region=3304").status_code == 200  # a wider region shows only what the person sees
    assert cockpit.cockpit(supervisor, "3304")["total"]["cases_opened"] == 2
    assert client.get(f"/supervision/?region=a{world.city_a.pk}").status_code == 404


def test_pages_drill_down_export_and_bad_parameters(activity, world, client):
    client.force_login(world.province_supervisor)
    page = client.get("/supervision/").content.decode()
    assert "浙江省" in page and "数据驾驶舱" in page
    city = client.get("/supervision/?region=3304").content.decode()
    assert world.county_a.region_name in city or "海盐" in city
    county = client.get("/supervision/?region=330424").content.decode()
    assert world.county_a.name in county
    agency = client.get(f"/supervision/?region=a{world.county_a.pk}&view=wall")
    assert agency.status_code == 200
    export = client.get("/supervision/cockpit.xlsx?region=3304")
    book = load_workbook(io.BytesIO(export.content))
    assert book["汇总"]["A3"].value == "新立案件" and book["汇总"]["B3"].value == 5
    for bad in ("region=abc", "region=33%00", "from=2026-13-40&to=x", "from=1900-01-01&to=2999-01-01", "region=a99999999999999999999999"):
        assert client.get(f"/supervision/?{bad}").status_code in (200, 400, 404)
    api = client.get("/api/v1/supervision/cockpit/?region=3304").json()
    assert api["total"]["cases_opened"] == 5 and api["parts"] and api["total"]["fines"]
    client.force_login(world.officer_a)
    assert client.get("/supervision/").status_code == 403
    assert client.get("/api/v1/supervision/cockpit/").status_code == 403
