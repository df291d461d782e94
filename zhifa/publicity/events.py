"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

# Every publication event carries the publication's state after the change (services.publication_state).
PUBLICATION = "agency case document category decision_number decision_date status due_date text redactions"

declare("publicity.publication.prepared", "生成公示记录", PUBLICATION)
declare("publicity.publication.released", "审核后公示", PUBLICATION + " published_on reviewed_by")
declare("publicity.publication.revocation_recorded", "登记决定被撤销等", PUBLICATION + " withdrawal_trigger withdrawal_due")
declare("publicity.publication.withdrawn", "撤回公示", PUBLICATION + " withdrawn_on withdrawal_reason")
declare("publicity.publication.corrected", "更正公示信息", PUBLICATION + " corrections")
declare("publicity.publication.taken_down", "公示期满撤下", PUBLICATION + " take_down_on")
declare("publicity.setting.saved", "设置公示期限规则", "agency scheme low_fine_amount low_fine_basis")
declare("publicity.annual_report.generated", "生成统计年报", "year data pdf_sm3 replaced")
