"""Working days and deadlines on the official Chinese calendar (DOMAIN.md section 9).

A day's status is decided, in this order, by:
1. the administrator's override table (`core.HolidayOverride`);
2. the bundled official calendar (`chinese_calendar`, State Council arrangements);
3. for a year with no official data: weekends plus the statutory holidays of
   全国年节及纪念日放假办法 at their estimated dates, with no 调休. Any result that
   depends on such a day is marked provisional rather than raising.

Counting follows MFD Art. 201/203 and MSS Art. 85: the start day is excluded, and the
deadline is 24:00 of the last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

WD = "WD"
DAYS = "D"

SOURCE_OVERRIDE = "override"
SOURCE_OFFICIAL = "official"
SOURCE_ESTIMATE = "estimate"

# A loop guard: no legal period in this project is anywhere near this long.
MAX_SPAN_DAYS = 3660


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class DayStatus:
    date: dt.date
    is_workday: bool
    provisional: bool
    name: str  # holiday or make-up day name, "" for an ordinary day
    source: str


@dataclass(frozen=True)
class Deadline:
    """A computed deadline that remembers how it was computed."""

    start: dt.date
    amount: int
    unit: str  # WD or DAYS
    date: dt.date
    provisional: bool = False
    rolled: bool = False  # a calendar-day period whose last day fell on a rest day
    basis: str = ""

    @property
    def rule(self) -> str:
        text = f"{self.amount}个工作日" if self.unit == WD else f"{self.amount}日"
        return text + ("（期满日为休息日，顺延至其后第一个工作日）" if self.rolled else "")

    def describe(self) -> str:
        s = f"自{_cn(self.start)}起{self.rule}，期限届满日为{_cn(self.date)}"
        if self.basis:
            s += f"（依据：{self.basis}）"
        if self.provisional:
            s += "。注意：该期间涉及尚未发布官方放假安排的年度，结果为暂估，请在安排公布后复核"
        return s


_HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


@lru_cache(maxsize=1)
def _official_years() -> range:
    years = [d.year for d in chinese_calendar.constants.holidays]
    return range(min(years), max(years) + 1)


def _qingming(year: int) -> dt.date:
    # 21st-century rule of thumb for the 清明 solar term: [Y*0.2422 + 4.81] - [Y/4], Y = year % 100.
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@lru_cache(maxsize=64)
def _estimated_holidays(year: int) -> dict[dt.date, str]:
    """Statutory holidays (R9.1, 2024 revision) at their estimated dates, without 调休."""
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in (-1, 0, 1, 2):  # 除夕 + 初一至初三
        days[new_year + dt.timedelta(days=offset)] = "春节"
    days[_qingming(year)] = "清明节"
    for d in (1, 2):
        days[dt.date(year, 5, d)] = "劳动节"
    days[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    days[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    for d in (1, 2, 3):
        days[dt.date(year, 10, d)] = "国庆节"
    return days


class Calendar:
    """Reads overrides from the database a year at a time; one instance per computation."""

    def __init__(self):
        self._overrides: dict[int, dict[dt.date, tuple[bool, str]]] = {}
        self._published: set[int] | None = None

    def _year_overrides(self, year: int):
        if year not in self._overrides:
            from zhifa.core.models import HolidayOverride

            rows = HolidayOverride.objects.filter(date__year=year).values_list("date", "is_workday", "name")
            self._overrides[year] = {d: (w, n) for d, w, n in rows}
        return self._overrides[year]

    def _year_is_official(self, year: int) -> bool:
        if year in _official_years():
            return True
        if self._published is None:
            from zhifa.core.models import PublishedCalendarYear

            self._published = set(PublishedCalendarYear.objects.values_list("year", flat=True))
        return year in self._published

    def status(self, day: dt.date) -> DayStatus:
        official = self._year_is_official(day.year)
        override = self._year_overrides(day.year).get(day)
        if override is not None:
            return DayStatus(day, override[0], not official, override[1], SOURCE_OVERRIDE)
        if day.year in _official_years():
            on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            workday = chinese_calendar.is_workday(day)
            name = _HOLIDAY_NAMES.get(holiday, holiday or "")
            if workday and day.weekday() >= 5:
                name = f"{name}调休上班" if name else "调休上班"
            return DayStatus(day, workday, False, name, SOURCE_OFFICIAL)
        if official:
            # The administrator entered this year's arrangement: weekends + overrides, exactly.
            return DayStatus(day, day.weekday() < 5, False, "", SOURCE_OVERRIDE)
        name = _estimated_holidays(day.year).get(day, "")
        return DayStatus(day, day.weekday() < 5 and not name, True, name, SOURCE_ESTIMATE)


FIRST_YEAR, LAST_YEAR = 1901, 2099  # the lunar calendar behind the holiday estimates covers these years


class OutOfRange(ValueError):
    """A date or year the calendar cannot speak about (the API answers 400 with this message)."""


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfRange(f"工作日历只支持 {FIRST_YEAR} 至 {LAST_YEAR} 年。")
    return year


def _check_start(start) -> dt.date:
    if isinstance(start, dt.datetime):
        start = start.date()
    if not isinstance(start, dt.date):
        raise TypeError("起算日必须是日期")
    _check_year(start.year)
    return start


def _check_amount(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("期间必须是整数")
    if n < 0:
        raise ValueError("期间不能为负数")
    if n > MAX_SPAN_DAYS:
        raise ValueError(f"期间不能超过{MAX_SPAN_DAYS}日")
    return n


def day_status(day: dt.date) -> DayStatus:
    return Calendar().status(_check_start(day))


def is_workday(day: dt.date) -> bool:
    """True for Mon–Fri that are not holidays, and for 调休 make-up days."""
    return day_status(day).is_workday


def add_workdays(start: dt.date, n: int, *, basis: str = "") -> Deadline:
    """The Nth working day after `start` (start excluded, make-up days count; R9.4)."""
    start, n = _check_start(start), _check_amount(n)
    cal = Calendar()
    day, counted, provisional = start, 0, False
    while counted < n:
        day += dt.timedelta(days=1)
        _check_year(day.year)
        st = cal.status(day)
        provisional |= st.provisional
        if st.is_workday:
            counted += 1
        if (day - start).days > MAX_SPAN_DAYS:
            raise OutOfRange("期间计算超出范围")
    return Deadline(start, n, WD, day, provisional=provisional, basis=basis)


def add_days(start: dt.date, n: int, *, roll_forward: bool = True, basis: str = "") -> Deadline:
    """`start` + n calendar days (start excluded).

    With roll_forward (the default, MFD Art. 203 / MSS Art. 85) a last day that is a
    rest day moves to the next working day. Pass roll_forward=False for periods that
    limit the agency's own power, such as the 30-day seizure period (DOMAIN.md R9.5).
    """
    start, n = _check_start(start), _check_amount(n)
    cal = Calendar()
    day = start + dt.timedelta(days=n)
    _check_year(day.year)
    st = cal.status(day)
    provisional, rolled = st.provisional, False
    if roll_forward:
        while not st.is_workday:
            rolled = True
            day += dt.timedelta(days=1)
            _check_year(day.year)
            st = cal.status(day)
            provisional |= st.provisional
    return Deadline(start, n, DAYS, day, provisional=provisional, rolled=rolled, basis=basis)


def month_statuses(year: int, month: int) -> list[DayStatus]:
    _check_year(year)
    cal = Calendar()
    day = dt.date(year, month, 1)
    out = []
    while day.month == month:
        out.append(cal.status(day))
        day += dt.timedelta(days=1)
    return out


def year_summary(year: int) -> dict:
    _check_year(year)
    cal = Calendar()
    day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    workdays = provisional = 0
    while day <= end:
        st = cal.status(day)
        workdays += st.is_workday
        provisional += st.provisional
        day += dt.timedelta(days=1)
    return {"year": year, "workdays": workdays, "provisional": provisional > 0}
