"""The cases part of `zhifa ledger verify`: every case row replayed from its events (each carries the full state)."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels

from .models import Case
from .services import CASE_FIELDS

CASE_EVENTS = {"cases.case.opened", "cases.case.moved", "cases.case.proposal_set", "cases.case.party_choice", "cases.case.deadline_extended"}


def check_cases(report, check_files: bool) -> None:
    compare(
        report,
        Spec("cases.case", "案件", created=CASE_EVENTS),
        ((c.pk, c.number, ledger.snapshot(c, CASE_FIELDS)) for c in Case.objects.order_by("pk").iterator()),
        field_labels(Case),
    )
