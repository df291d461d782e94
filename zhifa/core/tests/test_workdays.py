import datetime as dt

import pytest

from zhifa import workdays
from zhifa.core import services
from zhifa.core.models import HolidayOverride

D = dt.date.fromisoformat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start,n,expected",
    [
        ("2026-02-12", 7, "2026-02-28"),  # ends on a Saturday make-up day (DOMAIN.md R9.6)
        ("2026-04-30", 5, "2026-05-11"),
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-09-18", 20, "2026-10-22"),
    ],
)
def test_add_workdays_official_vectors(start, n, expected):
    result = workdays.add_workdays(D(start), n)
    assert result.date == D(expected)
    assert not result.provisional
    assert result.unit == workdays.WD


def test_add_days_vectors_and_roll_forward():
    assert workdays.add_days(D("2026-01-10"), 90).date == D("2026-04-10")
    rolled = workdays.add_days(D("2026-09-16"), 15)
    assert rolled.date == D("2026-10-08") and rolled.rolled
    assert "顺延" in rolled.rule
    # Agency-power periods (e.g. 查封扣押 30 日) do not roll (R9.5).
    fixed = workdays.add_days(D("2026-09-16"), 15, roll_forward=False)
    assert fixed.date == D("2026-10-01") and not fixed.rolled


def test_start_day_excluded_and_zero_period():
    # Friday + 1 WD is Monday, not Friday itself.
    assert workdays.add_workdays(D("2026-11-20"), 1).date == D("2026-11-23")
    assert workdays.add_workdays(D("2026-11-20"), 0).date == D("2026-11-20")


def test_is_workday_counts_makeup_days_and_holidays():
    assert workdays.is_workday(D("2026-10-10"))  # Saturday, 调休上班
    assert not workdays.is_workday(D("2026-10-01"))
    assert not workdays.is_workday(D("2026-11-21"))  # ordinary Saturday
    st = workdays.day_status(D("2026-10-01"))
    assert st.name == "国庆节" and st.source == workdays.SOURCE_OFFICIAL
    assert "调休上班" in workdays.day_status(D("2026-02-28")).name


def test_year_2026_has_248_workdays():
    assert workdays.year_summary(2026) == {"year": 2026, "workdays": 248, "provisional": False}


def test_unpublished_year_is_provisional_not_an_error():
    st = workdays.day_status(D("2027-10-01"))
    assert st.provisional and not st.is_workday and st.name == "国庆节"
    assert workdays.day_status(D("2027-02-06")).name == "春节"  # 2027 春节 (初一) is 2027-02-06
    result = workdays.add_workdays(D("2026-12-20"), 20)
    assert result.provisional and "暂估" in result.describe()
    assert workdays.add_days(D("2027-03-01"), 10).provisional
    assert workdays.year_summary(2027)["provisional"]


def test_override_takes_precedence_over_official_calendar(world):
    services.set_day_override(world.admin, date=D("2026-11-24"), is_workday=False, name="台风停工")
    assert not workdays.is_workday(D("2026-11-24"))
    assert workdays.add_workdays(D("2026-11-23"), 1).date == D("2026-11-25")
    services.set_day_override(world.admin, date=D("2026-11-24"), is_workday=True, name="恢复上班")
    assert HolidayOverride.objects.filter(date=D("2026-11-24")).count() == 1
    assert workdays.is_workday(D("2026-11-24"))


def test_published_year_stops_being_provisional(world):
    services.set_day_override(world.admin, date=D("2027-01-01"), is_workday=False, name="元旦")
    assert workdays.day_status(D("2027-01-01")).provisional
    services.publish_calendar_year(world.admin, year=2027, source="国办发明电〔2026〕X号")
    assert not workdays.day_status(D("2027-01-01")).provisional
    assert not workdays.day_status(D("2027-01-01")).is_workday
    # With the year published, only entered overrides are holidays: estimates are no longer used.
    assert workdays.is_workday(D("2027-10-01"))


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="负数"):
        workdays.add_workdays(D("2026-01-01"), -1)
    with pytest.raises(TypeError, match="整数"):
        workdays.add_workdays(D("2026-01-01"), "5")
    with pytest.raises(TypeError, match="日期"):
        workdays.add_days("2026-01-01", 5)
    with pytest.raises(ValueError):
        workdays.add_days(D("2026-01-01"), 10**6)


def test_deadline_describes_its_rule_and_basis():
    d = workdays.add_workdays(D("2026-02-12"), 7, basis="行政处罚法第六十一条")
    assert d.rule == "7个工作日"
    assert d.describe() == "自2026年2月12日起7个工作日，期限届满日为2026年2月28日（依据：行政处罚法第六十一条）"
