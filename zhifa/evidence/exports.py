"""The evidence part of `zhifa ledger export`: metadata rows and, optionally, the files."""

from zhifa.ledger import services as ledger
from zhifa.ledger.models import LedgerEvent

from .models import Evidence
from .storage import evidence_storage


def export_evidence(add_jsonl, add_file, include_files: bool, tree_size: int) -> None:
    from .services import RECORD_FIELDS

    ids = LedgerEvent.objects.filter(kind="evidence.recorded", seq__lt=tree_size).values_list("object_id", flat=True)
    rows = Evidence.objects.filter(pk__in=[int(i) for i in ids]).order_by("id")
    add_jsonl("evidence.jsonl", ({"id": e.pk, **ledger.snapshot(e, RECORD_FIELDS)} for e in rows.iterator()))
    if not include_files:
        return
    storage = evidence_storage()
    seen = set()
    for key, size in rows.values_list("storage_key", "size"):
        if key in seen:
            continue
        seen.add(key)
        with storage.open(key, "rb") as fh:
            add_file(f"files/{key}", fh, size)
