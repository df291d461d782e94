"""Reads of the calendar data core keeps (public to every signed-in person: the holiday calendar is official)."""

from django.db.models import QuerySet

from .models import HolidayOverride, PublishedCalendarYear


def day_overrides(year: int | None = None) -> QuerySet[HolidayOverride]:
    rows = HolidayOverride.objects.all()
    return rows.filter(date__year=year) if year is not None else rows


def published_year(year: int) -> PublishedCalendarYear | None:
    return PublishedCalendarYear.objects.filter(year=year).first()


def get_day_override(pk) -> HolidayOverride | None:
    return HolidayOverride.objects.filter(pk=pk).first()
