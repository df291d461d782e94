"""Tests that travel in time: the clock is moved before the world is built, so it only moves forward
(the ledger refuses a head dated before the events it covers)."""

import datetime as dt
import zoneinfo

import time_machine

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment in Shanghai on `day` (YYYY-MM-DD)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SH)


def travel(day: str):
    """Start the clock at 09:00 on `day`, ticking."""
    return time_machine.travel(at(day, 9), tick=True)

