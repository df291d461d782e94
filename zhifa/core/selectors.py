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


def job_overview() -> list[dict]:
    """Every scheduled job with its latest run (one query for the lot)."""
    from django.db.models import Max

    from zhifa.core.jobs import jobs

    from .models import JobRun

    names = [j.name for j in jobs]
    latest = dict(JobRun.objects.filter(job__in=names).values_list("job").annotate(m=Max("slot")))
    runs = {r.job: r for r in JobRun.objects.filter(job__in=names, slot__in=set(latest.values())) if latest.get(r.job) == r.slot}
    return [{"job": j, "last": runs.get(j.name)} for j in jobs]


def job_runs(name: str | None = None):
    from .models import JobRun

    rows = JobRun.objects.order_by("-slot", "job")
    return rows.filter(job=name) if name else rows
