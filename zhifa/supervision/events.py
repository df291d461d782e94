"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

CLUE = "model key is_open agency severity title basis status assigned_to due_date answer closed_by close_note"

declare("supervision.clue.found", "问题模型发现线索", CLUE)
declare("supervision.clue.assigned", "交办监督线索", CLUE + " note")
declare("supervision.clue.answered", "答复监督线索（情况说明或整改情况）", CLUE)
declare("supervision.clue.closed", "办结监督线索", CLUE)

DIRECTIVE = "kind number issuer_agency issued_by agency case clue subject basis due_date status reply review_note closed_by"

declare("supervision.directive.issued", "发出监督文书（监督通知书、督办通知、纠错建议书）", DIRECTIVE)
declare("supervision.directive.replied", "答复监督文书", DIRECTIVE)
declare("supervision.directive.returned", "监督文书答复被退回重报", DIRECTIVE)
declare("supervision.directive.closed", "监督文书办结", DIRECTIVE)

declare("supervision.report.submitted", "报送行政执法统计年报", "agency year report_sm3 recipients submitted_by")
declare("supervision.report.regional_published", "汇总公布地区行政执法统计年报", "authority year data included missing published_by")
