"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

# Every case event carries the case's state after the change (services.case_state); these fields at least.
CASE = "number procedure agency stage status"

declare("cases.case.opened", "立案", CASE + " parties officers")
declare("cases.case.moved", "案件流转", CASE + " from to transition")
declare("cases.case.proposal_set", "提出拟处理意见", CASE + " proposed_outcome penalty_kinds fine_amount legal_basis")
declare("cases.case.party_choice", "登记当事人选择", CASE + " choice note")
declare("cases.case.deadline_extended", "批准延长期限", CASE + " deadline due reason")
declare("cases.case.officer_recused", "执法人员回避", CASE + " person replacement reason applicant")
declare("cases.case.deadline_paused", "登记不计入期限的期间", CASE + " deadline pause start")
declare("cases.case.deadline_resumed", "不计入期限的期间结束", CASE + " deadline end due")
declare("cases.case.major_marked", "标记重大执法决定", CASE + " ground reason")
declare("cases.case.major_unmarked", "取消重大执法决定标记", CASE + " ground reason")
declare("cases.case.party_added", "追加当事人", CASE + " party")
declare("cases.case.payment_recorded", "登记罚款缴纳", CASE + " receipt amount late_fee")
declare("cases.case.payment_arranged", "批准延期（分期）缴纳", CASE + " arrangement schedule")
declare("cases.case.act", "办案行为（签发、送达、审核）", CASE + " act")
declare("cases.threshold.saved", "设置听证较大数额标准", "sector region_prefix party_kind fine_amount confiscation_amount basis created")
