"""The task queue's own tasks: the minute tick that starts due scheduled jobs, and the job runner."""

import datetime as dt

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhifa.core import jobs


@task()
def run_job(name: str, slot: str) -> str | None:
    return jobs.run(name, dt.datetime.fromisoformat(slot))


# Work the apps above core want done every minute besides the scheduled jobs (the workflow sweep registers here).
minute_hooks: list = []


def minute() -> None:
    jobs.tick()
    for fn in minute_hooks:
        fn()


@db_periodic_task(crontab(), name="zhifa.tick")
def tick() -> None:
    minute()


@task()
def tick_now() -> None:
    """The minute's work at once: `zhifa worker` asks for it when it starts, to pick up what a dead worker left."""
    minute()


@jobs.job("ledger-verify", "账本全量核验（含证据文件）", jobs.Schedule("day", dt.time(2, 0)), timeout=6 * 3600)
def verify_ledger() -> str:
    """Nightly `zhifa ledger verify`: its outcome is a ledger event that supervisors see (and are told of when
    it found problems)."""
    from zhifa.ledger import services, verification

    report = verification.verify(check_files=True)
    services.record_verification(report, checked_files=True)
    outcome = "无问题" if report.ok else f"发现问题 {len(report.problems)} 个"
    return f"事件 {report.tree_size} 条，证据文件 {report.files} 个，{outcome}，用时 {report.seconds:.1f} 秒"
