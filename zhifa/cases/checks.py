"""The cases part of `zhifa ledger verify`: every case replayed from its events. Each event carries the case's
whole state (its row, parties, officers, time limits and stage history), so an edit to any of them is named."""

from zhifa.ledger.replay import Spec, compare, field_labels

from .models import Case
from .services import case_state

CASE_EVENTS = {"cases.case.opened", "cases.case.moved", "cases.case.proposal_set", "cases.case.party_choice", "cases.case.deadline_extended"}
RELATED = {"parties": "当事人", "officers": "承办人员", "deadlines": "办理期限", "history": "环节记录"}


def check_cases(report, check_files: bool) -> None:
    cases = Case.objects.order_by("pk").prefetch_related("parties", "officers", "deadlines", "history")
    compare(
        report,
        Spec("cases.case", "案件", created=CASE_EVENTS),
        ((c.pk, c.number, case_state(c)) for c in cases.iterator(chunk_size=500)),
        field_labels(Case, RELATED),
    )
