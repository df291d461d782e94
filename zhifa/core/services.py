"""Writes to the working-day calendar."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa import workdays
from zhifa.core import validation
from zhifa.core.errors import require
from zhifa.core.roles import is_admin
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger

from .models import HolidayOverride, PublishedCalendarYear

OVERRIDE_FIELDS = ["date", "is_workday", "name", "source"]


def _may_edit_calendar(actor) -> bool:
    return is_admin(actor)


@transaction.atomic
def set_day_override(actor, *, date, is_workday: bool, name: str, source: str = "") -> HolidayOverride:
    require(_may_edit_calendar(actor), "只有系统管理员可以调整节假日。")
    if not isinstance(date, dt.date) or not workdays.FIRST_YEAR <= date.year <= workdays.LAST_YEAR:
        raise ValidationError({"date": f"日期应在 {workdays.FIRST_YEAR} 至 {workdays.LAST_YEAR} 年之间。"})
    require_plain(name=name, source=source)
    override = HolidayOverride.objects.filter(date=date).first() or HolidayOverride(date=date)
    existed = override.pk is not None
    override.is_workday = bool(is_workday)
    override.name = (name or "").strip()
    override.source = (source or "").strip()
    override.created_by = actor
    validation.save(override, changed=["is_workday", "name", "source", "created_by"])
    ledger.append(
        "core.calendar.day_set",
        actor=actor,
        obj=override,
        data={**ledger.snapshot(override, OVERRIDE_FIELDS), "replaced": existed},
    )
    return override


@transaction.atomic
def remove_day_override(actor, override: HolidayOverride) -> None:
    require(_may_edit_calendar(actor), "只有系统管理员可以调整节假日。")
    ledger.append("core.calendar.day_removed", actor=actor, obj=override, data=ledger.snapshot(override, ["date", "is_workday", "name"]))
    override.delete()


@transaction.atomic
def publish_calendar_year(actor, *, year: int, source: str) -> PublishedCalendarYear:
    """Declare that every holiday and make-up day of `year` has been entered as overrides."""
    require(_may_edit_calendar(actor), "只有系统管理员可以发布年度放假安排。")
    if not isinstance(year, int) or not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise ValidationError({"year": f"年度应在 {workdays.FIRST_YEAR} 至 {workdays.LAST_YEAR} 之间。"})
    if not HolidayOverride.objects.filter(date__year=year).exists():
        raise ValidationError({"year": f"{year}年尚未录入任何节假日调整，不能标记为已发布。"})
    record = PublishedCalendarYear(year=year, source=(source or "").strip(), created_by=actor)
    validation.save(record)
    ledger.append("core.calendar.year_published", actor=actor, obj=record, data={"year": year, "source": record.source})
    return record
