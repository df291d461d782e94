"""The publicity part of `zhifa ledger verify`: every publication row replayed from its events."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels

from .models import Publication
from .services import RECORD_FIELDS

EVENTS = {"publicity.publication.prepared", "publicity.publication.released", "publicity.publication.withdrawn", "publicity.publication.taken_down"}


def check_publicity(report, check_files: bool) -> None:
    compare(
        report,
        Spec("publicity.publication", "公示记录", created=EVENTS),
        ((p.pk, p.decision_number, ledger.snapshot(p, RECORD_FIELDS)) for p in Publication.objects.order_by("pk").iterator()),
        field_labels(Publication),
    )
