"""Scheduled jobs under a moved clock: due at their Beijing time, once per slot, caught up after downtime, retried
after a failure with backoff, taken over from a worker that died."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.core import jobs
from zhifa.core.models import JobRun

BJ = ZoneInfo("Asia/Shanghai")
calls = []


@pytest.fixture
def probe():
    """A daily job at 02:00 and a January-only job, registered for the test."""
    calls.clear()

    def nightly():
        calls.append("nightly")
        if len(calls) == 99:
            raise RuntimeError
        return "ok"

    def january():
        calls.append("january")
        return "drafts"

    jobs.jobs.register(jobs.Job("test-nightly", "测试", nightly, jobs.Schedule("day", dt.time(2, 0)), timeout=600), key="test-nightly")
    jobs.jobs.register(jobs.Job("test-january", "一月", january, jobs.Schedule("day", dt.time(3, 0), months=(1,))), key="test-january")
    yield
    jobs.jobs._entries.pop("test-nightly")
    jobs.jobs._entries.pop("test-january")


def names(now):
    return {j.name for j, _ in jobs.due(now)} & {"test-nightly", "test-january"}


@pytest.mark.django_db
def test_a_daily_job_fires_at_its_beijing_time_once_per_slot(probe, django_capture_on_commit_callbacks):
    first = dt.datetime(2027, 1, 5, 1, 59, tzinfo=BJ)
    JobRun.objects.create(job="test-nightly", slot=dt.datetime(2027, 1, 4, 2, 0, tzinfo=BJ), status="done", started_at=first)
    JobRun.objects.create(job="test-january", slot=dt.datetime(2027, 1, 4, 3, 0, tzinfo=BJ), status="done", started_at=first)
    assert names(first) == set()  # yesterday's 02:00 ran; today's is not due yet
    with time_machine.travel(dt.datetime(2027, 1, 5, 2, 0, 30, tzinfo=BJ), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # tasks are sent when the transaction commits
            assert "test-nightly" in jobs.tick()
        assert names(None) == set()  # run (the tests' queue runs a task at once)
    assert calls == ["nightly"]
    assert JobRun.objects.get(job="test-nightly", slot=dt.datetime(2027, 1, 5, 2, 0, tzinfo=BJ)).message == "ok"
    with time_machine.travel(dt.datetime(2027, 1, 5, 2, 5, tzinfo=BJ), tick=False):
        assert "test-nightly" not in jobs.tick()
        assert jobs.run("test-nightly") is None  # asked again for the same slot: nothing
    assert calls == ["nightly"]


@pytest.mark.django_db
def test_a_job_missed_while_no_worker_ran_is_caught_up_once(probe, django_capture_on_commit_callbacks):
    # The worker was down from Sunday to Wednesday afternoon: Wednesday's 02:00 runs once, the missed days do not pile up.
    with time_machine.travel(dt.datetime(2027, 1, 6, 15, 0, tzinfo=BJ), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.tick()
        with django_capture_on_commit_callbacks(execute=True):
            jobs.tick()
    assert calls.count("nightly") == 1
    assert list(JobRun.objects.filter(job="test-nightly").values_list("slot", flat=True)) == [dt.datetime(2027, 1, 6, 2, 0, tzinfo=BJ)]


@pytest.mark.django_db
def test_a_month_limited_job_is_due_only_in_its_months(probe):
    assert "test-january" in names(dt.datetime(2027, 1, 31, 3, 0, tzinfo=BJ))
    assert "test-january" not in names(dt.datetime(2027, 2, 1, 3, 0, tzinfo=BJ))
    # At 02:59 on 1 February the latest slot is 31 January 03:00, in January: due until it has run.
    assert "test-january" in names(dt.datetime(2027, 2, 1, 2, 59, tzinfo=BJ))
    JobRun.objects.create(job="test-january", slot=dt.datetime(2027, 1, 31, 3, 0, tzinfo=BJ), status="done", started_at=dt.datetime(2027, 1, 31, 3, 0, tzinfo=BJ))
    assert "test-january" not in names(dt.datetime(2027, 2, 1, 2, 59, tzinfo=BJ))


@pytest.mark.django_db
def test_a_failed_run_is_retried_with_backoff_and_a_dead_workers_run_is_taken_over(probe):
    slot = dt.datetime(2027, 3, 1, 2, 0, tzinfo=BJ)
    t0 = dt.datetime(2027, 3, 1, 2, 0, 10, tzinfo=BJ)
    JobRun.objects.create(job="test-nightly", slot=slot, status="failed", started_at=t0, finished_at=t0, attempts=2)
    assert "test-nightly" not in names(t0 + dt.timedelta(minutes=1))  # second failure: wait 2 minutes
    assert "test-nightly" in names(t0 + dt.timedelta(minutes=2))
    assert jobs.run("test-nightly", slot, now=t0 + dt.timedelta(minutes=2)) == "ok"
    run = JobRun.objects.get(job="test-nightly", slot=slot)
    assert run.status == "done" and run.attempts == 3

    # A run left "running" by a worker killed mid-job: left alone within its timeout, then taken over once.
    slot2 = dt.datetime(2027, 3, 2, 2, 0, tzinfo=BJ)
    JobRun.objects.create(job="test-nightly", slot=slot2, status="running", started_at=slot2, worker="dead:1")
    assert jobs.run("test-nightly", slot2, now=slot2 + dt.timedelta(minutes=5)) is None
    assert "test-nightly" in names(slot2 + dt.timedelta(minutes=11))
    assert jobs.run("test-nightly", slot2, now=slot2 + dt.timedelta(minutes=11)) == "ok"
    assert jobs.run("test-nightly", slot2, now=slot2 + dt.timedelta(minutes=30)) is None
    assert calls == ["nightly", "nightly"]


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_the_next_tick_retries(probe, monkeypatch):
    def broken():
        raise ValueError("存储不可用")

    jobs.jobs.register(jobs.Job("test-nightly", "测试", broken, jobs.Schedule("day", dt.time(2, 0))), key="test-nightly")
    now = dt.datetime(2027, 4, 1, 2, 1, tzinfo=BJ)
    with pytest.raises(ValueError):
        jobs.run("test-nightly", now=now)
    run = JobRun.objects.get(job="test-nightly")
    assert run.status == "failed" and "存储不可用" in run.message and "Traceback" in run.error


def test_the_minute_tick_is_a_huey_periodic_task():
    from huey.contrib.djhuey import HUEY

    from zhifa.core import tasks  # noqa: F401

    due = [t.name for t in HUEY.read_periodic(dt.datetime(2027, 1, 5, 2, 0))]
    assert "zhifa.tick" in due


def test_the_production_jobs_are_registered():
    assert {"ledger-verify", "publication-takedown"} <= set(jobs.jobs.keys())
