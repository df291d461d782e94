"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

declare("core.calendar.day_set", "调整节假日", "date is_workday name source replaced")
declare("core.calendar.day_removed", "删除节假日调整", "date is_workday name")
declare("core.calendar.year_published", "发布年度放假安排", "year source")
declare("core.number.allocated", "分配文书编号", "key year last_value")
