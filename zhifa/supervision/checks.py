"""The supervision part of `zhifa ledger verify`: clues replayed from the ledger (a clue deleted or quietly closed
in the database is named)."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Clue, Directive
from .services import CLUE_FIELDS, DIRECTIVE_FIELDS

CLUES = replayed(Spec("supervision.clue", "监督线索", created={
    "supervision.clue.found", "supervision.clue.assigned", "supervision.clue.answered", "supervision.clue.closed"}))


DIRECTIVES = replayed(Spec("supervision.directive", "监督文书", created={
    "supervision.directive.issued", "supervision.directive.replied", "supervision.directive.returned", "supervision.directive.closed"}))


def check_supervision(report, check_files: bool) -> None:
    compare(report, DIRECTIVES, ((d.pk, d.number, ledger.snapshot(d, DIRECTIVE_FIELDS)) for d in Directive.objects.order_by("pk")),
            field_labels(Directive))
    compare(report, CLUES, ((c.pk, c.title, ledger.snapshot(c, CLUE_FIELDS)) for c in Clue.objects.order_by("pk").iterator(chunk_size=5000)),
            field_labels(Clue))
