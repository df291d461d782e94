"""Scheduled jobs on the task queue (docs/decisions.md, "Task queue and scheduled jobs").

Background work goes through Django's tasks API (the django-tasks backport) with huey behind it: an embedded
SQLite queue by default, Redis when ZHIFA_TASKS_URL says so; `zhifa worker` runs the consumer.

A job is a function an app registers with `@job(...)` in its `tasks.py`, with a schedule in Beijing time.
Huey's own periodic tasks skip what falls due while no worker runs; a job here does not: every minute the
worker's tick looks at each job's latest due slot (today's 02:00, this hour, this minute) and runs it when no
run of that slot has succeeded. The slot's row in `JobRun` is the claim, so a job runs once per slot however
many ticks, workers or restarts see it; a run whose worker died is taken over after `timeout` seconds; a failed
run is tried again at the next tick. The functions themselves are idempotent as well (a second run finds
nothing left to do), so a run repeated after a crash changes nothing.
"""

import dataclasses
import datetime as dt
import logging
import os
import socket
import traceback
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from zhifa.core.registry import Registry

log = logging.getLogger("zhifa.jobs")

jobs = Registry("core.jobs", "Scheduled jobs by name, registered by each app's tasks.py: name -> Job.")


@dataclasses.dataclass(frozen=True)
class Schedule:
    """`every` is "minute", "hour" or "day"; a daily job runs at `at` (Beijing time); `months` limits the days
    to those months (e.g. (1,) for January)."""

    every: str = "day"
    at: dt.time = dt.time(2, 0)
    months: tuple[int, ...] = ()

    def label(self) -> str:
        if self.every == "minute":
            return "每分钟"
        if self.every == "hour":
            return "每小时"
        m = sorted(self.months)
        contiguous = len(m) > 2 and m == list(range(m[0], m[-1] + 1))
        months = f"{m[0]}月至{m[-1]}月" if contiguous else "、".join(f"{x}月" for x in m)
        return f"{months}每日 {self.at:%H:%M}" if months else f"每日 {self.at:%H:%M}"

    def slot(self, now: dt.datetime) -> dt.datetime | None:
        """The start of the latest slot due at `now` (aware), or None when none is due (outside `months`)."""
        local = timezone.localtime(now)
        if self.every == "minute":
            return local.replace(second=0, microsecond=0)
        if self.every == "hour":
            return local.replace(minute=0, second=0, microsecond=0)
        start = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if start > local:
            start -= dt.timedelta(days=1)
        if self.months and start.month not in self.months:
            return None
        return start


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    label: str
    func: Callable[[], str]
    schedule: Schedule
    timeout: int = 1800  # seconds after which a run still marked running is taken to have died with its worker


def job(name: str, label: str, schedule: Schedule, *, timeout: int = 1800):
    """Register `func() -> str` (a one-line summary of what it did) as the scheduled job `name`."""

    def register(func):
        jobs.register(Job(name, label, func, schedule, timeout), key=name)
        return func

    return register


def retry_delay(attempts: int) -> int:
    """Seconds before a failed run is tried again: 1, 2, 4 … minutes, at most an hour."""
    return min(60 * 2 ** max(attempts - 1, 0), 3600)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def due(now: dt.datetime | None = None) -> list[tuple[Job, dt.datetime]]:
    """The jobs whose latest slot has no successful run (and no run under way within its timeout)."""
    from zhifa.core.models import JobRun

    now = now or timezone.now()
    wanted = {j.name: (j, s) for j in jobs for s in [j.schedule.slot(now)] if s is not None}
    if not wanted:
        return []
    runs = {(r.job, r.slot): r for r in JobRun.objects.filter(job__in=wanted, slot__in={s for _, s in wanted.values()})}
    result = []
    for name, (j, slot) in wanted.items():
        run = runs.get((name, slot))
        if run is None:
            result.append((j, slot))
        elif run.status == JobRun.Status.FAILED and (now - run.finished_at).total_seconds() >= retry_delay(run.attempts):
            result.append((j, slot))
        elif run.status == JobRun.Status.RUNNING and (now - run.started_at).total_seconds() > j.timeout:
            result.append((j, slot))
    return result


def claim(j: Job, slot: dt.datetime, now: dt.datetime | None = None):
    """Take the slot's run for this worker; None when another has it or it is done."""
    from zhifa.core.models import JobRun

    now = now or timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=j.name, slot=slot, status=JobRun.Status.RUNNING, started_at=now, worker=_worker_id())
    except IntegrityError:
        pass
    # One conditional UPDATE: of two workers retrying the same failed or abandoned run, one changes the row.
    stale = now - dt.timedelta(seconds=j.timeout)
    taken = JobRun.objects.filter(
        Q(status=JobRun.Status.FAILED) | Q(status=JobRun.Status.RUNNING, started_at__lt=stale), job=j.name, slot=slot,
    ).update(status=JobRun.Status.RUNNING, started_at=now, finished_at=None, worker=_worker_id(), attempts=F("attempts") + 1, message="")
    return JobRun.objects.get(job=j.name, slot=slot) if taken else None


def run(name: str, slot: dt.datetime | None = None, *, now: dt.datetime | None = None) -> str | None:
    """Run job `name` for `slot` (default: its latest due slot) unless that slot is done or under way.
    Returns its summary, or None when there was nothing to run."""
    from zhifa.core.models import JobRun

    j = jobs.get(name)
    if j is None:
        raise KeyError(name)
    now = now or timezone.now()
    slot = slot or j.schedule.slot(now) or timezone.localtime(now).replace(second=0, microsecond=0)
    row = claim(j, slot, now)
    if row is None:
        return None
    try:
        message = str(j.func() or "")[:500]
    except Exception as exc:
        log.exception("定时任务 %s 失败", name)
        JobRun.objects.filter(pk=row.pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), message=f"{type(exc).__name__}: {exc}"[:500],
            error=traceback.format_exc()[-4000:],
        )
        raise
    JobRun.objects.filter(pk=row.pk).update(status=JobRun.Status.DONE, finished_at=timezone.now(), message=message, error="")
    return message


def tick(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every due job (the worker calls this each minute). Returns the names enqueued."""
    from zhifa.core.tasks import run_job

    names = []
    for j, slot in due(now):
        run_job.enqueue(j.name, slot.isoformat())
        names.append(j.name)
    return names
