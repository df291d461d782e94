"""Scheduled publicity jobs (zhifa/core/jobs.py): take-down of expired publications every night."""

import datetime as dt

from zhifa.core.jobs import Schedule, job


@job("publication-takedown", "撤下公示期满的信息", Schedule("day", dt.time(1, 0)))
def take_down() -> str:
    from zhifa.publicity import services

    return f"撤下 {services.take_down_expired()} 条"
