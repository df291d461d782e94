"""The cases part of `zhifa ledger verify`: every case replayed from its events. Each event carries the case's
whole state (its row, parties, officers, time limits and stage history), so an edit to any of them is named."""

from zhifa.ledger.replay import Spec, compare, field_labels

from .models import Case
from .services import case_state

CASE_EVENTS = {
    "cases.case.opened", "cases.case.moved", "cases.case.proposal_set", "cases.case.party_choice", "cases.case.deadline_extended",
    "cases.case.deadline_paused", "cases.case.deadline_resumed", "cases.case.major_marked", "cases.case.major_unmarked",
    "cases.case.party_added", "cases.case.payment_recorded", "cases.case.payment_arranged", "cases.case.act",
}
RELATED = {
    "parties": "当事人", "officers": "承办人员", "deadlines": "办理期限", "history": "环节记录", "major_marks": "重大执法决定标记",
    "pauses": "不计入期限的期间", "payments": "罚款缴纳记录", "arrangements": "延期（分期）缴纳",
}


def check_cases(report, check_files: bool) -> None:
    cases = Case.objects.order_by("pk").prefetch_related(
        "parties", "officers", "deadlines", "history", "major_marks", "pauses", "payments", "payment_arrangements"
    )
    compare(
        report,
        Spec("cases.case", "案件", created=CASE_EVENTS),
        ((c.pk, c.number, case_state(c)) for c in cases.iterator(chunk_size=500)),
        field_labels(Case, RELATED),
    )
