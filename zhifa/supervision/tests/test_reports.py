"""Statistics upward (R1.5): an agency's annual report submitted in the system, the region's figures summed by the
city 司法局 by the end of February, who has not submitted, and the clues when either is late."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.ledger import verification
from zhifa.publicity import services as publicity
from zhifa.supervision import services
from zhifa.supervision.models import Clue, ReportSubmission

YEAR = timezone.localdate().year


@pytest.fixture
def next_february():
    with time_machine.travel(datetime.datetime(YEAR + 1, 2, 10, 9, 0, tzinfo=timezone.get_current_timezone()), tick=True):
        yield


@pytest.fixture
def decisions(world):
    """An on-the-spot fine in 嘉兴市应急管理局 and one in 海盐县应急管理局, this year."""
    return [onsite_decision_in(world, world.city_a), onsite_decision_in(world, world.county_a)]


def test_submitted_reports_are_summed_by_the_city_and_the_missing_named(world, decisions, next_february, client):
    with pytest.raises(ValidationError, match="尚未生成"):
        services.submit_report(world.head_a, world.city_a, YEAR)
    city = publicity.generate_annual_report(world.head_a, world.city_a, YEAR)
    county = publicity.generate_annual_report(None, world.county_a, YEAR)
    with pytest.raises(PermissionDenied):
        services.submit_report(world.head_a, world.county_a, YEAR)
    row = services.submit_report(world.head_a, world.city_a, YEAR)
    assert world.city_justice.pk in row.recipients
    with pytest.raises(ValidationError, match="已经报送"):
        services.submit_report(world.head_a, world.city_a, YEAR)
    services.submit_report(world.admin, world.county_a, YEAR)
    with pytest.raises(PermissionDenied):
        services.publish_regional_report(world.head_a, YEAR)
    regional = services.publish_regional_report(world.city_supervisor, YEAR)
    assert sorted(regional.included) == sorted([world.city_a.pk, world.county_a.pk])
    assert regional.data["penalty_decisions"] == city.data["penalty_decisions"] + county.data["penalty_decisions"] == 2
    assert Decimal(regional.data["fines_total"]) == Decimal(city.data["fines_total"]) + Decimal(county.data["fines_total"])
    page = client.get(f"/gs/annual/regions/{regional.pk}/").content.decode()
    assert "浙江省嘉兴市" in page and world.county_a.name in page
    assert client.get("/api/v1/public/regional-reports/").json()["count"] == 1
    assert verification.verify(check_files=False).ok


def test_the_supervisor_sees_who_has_not_submitted_and_the_clues_say_so(world, decisions, next_february, client):
    publicity.generate_annual_report(world.head_a, world.city_a, YEAR)
    client.force_login(world.city_supervisor)
    page = client.get(f"/supervision/reports/?year={YEAR}").content.decode()
    assert "未报送" in page and world.county_a.name in page
    services.run_models(["report_not_submitted", "regional_report_late"])
    clue = Clue.objects.get(model="report_not_submitted", agency=world.city_a, is_open=True)
    client.force_login(world.head_a)
    done = client.post("/supervision/reports/", {"action": "submit", "agency": world.city_a.pk, "year": YEAR})
    assert done.status_code == 302 and ReportSubmission.objects.filter(agency=world.city_a, year=YEAR).exists()
    services.run_models(["report_not_submitted"])
    clue.refresh_from_db()
    assert not clue.is_open
    # The regional report is due by the end of February: in March, a city 司法局 that has not published has a clue.
    with time_machine.travel(datetime.datetime(YEAR + 1, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone()), tick=True):
        services.run_models(["regional_report_late"])
        late = Clue.objects.get(model="regional_report_late", agency=world.city_justice, is_open=True)
        services.publish_regional_report(world.city_supervisor, YEAR)
        services.run_models(["regional_report_late"])
        late.refresh_from_db()
        assert not late.is_open


def test_the_current_year_cannot_be_summed(world):
    with pytest.raises(ValidationError, match="已结束的年度"):
        services.publish_regional_report(world.city_supervisor, YEAR)
