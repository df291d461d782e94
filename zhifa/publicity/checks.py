"""The publicity part of `zhifa ledger verify`: every publication row (and its corrections) replayed from its events."""

from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Publication
from .services import publication_state

EVENTS = {
    "publicity.publication.prepared", "publicity.publication.released", "publicity.publication.withdrawn",
    "publicity.publication.taken_down", "publicity.publication.revocation_recorded", "publicity.publication.corrected",
}


PUBLICATIONS = replayed(Spec("publicity.publication", "公示记录", created=EVENTS))


def check_publicity(report, check_files: bool) -> None:
    compare(
        report,
        PUBLICATIONS,
        (
            (p.pk, p.decision_number, publication_state(p))
            for p in Publication.objects.order_by("pk").prefetch_related("corrections").iterator(chunk_size=500)
        ),
        field_labels(Publication, {"corrections": "更正记录"}),
    )
