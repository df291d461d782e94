"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

CLUE = "model key is_open agency severity title basis status assigned_to due_date answer closed_by close_note"

declare("supervision.clue.found", "问题模型发现线索", CLUE)
declare("supervision.clue.assigned", "交办监督线索", CLUE + " note")
declare("supervision.clue.answered", "答复监督线索（情况说明或整改情况）", CLUE)
declare("supervision.clue.closed", "办结监督线索", CLUE)
