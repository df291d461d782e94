"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

TASK = "case round submitted_by submitted_on due_date status reviewer checklist opinion decided_on"

declare("review.rule.created", "新增审核目录事项", "agency name criterion amount values basis is_active")
declare("review.rule.updated", "修改审核目录事项", "changes")
declare("review.task.submitted", "送法制审核", TASK)
declare("review.task.decided", "作出法制审核意见", TASK)
declare("review.task.escalated", "审核分歧提交集体讨论", TASK + " escalated_by")
