"""The evidence part of `zhifa ledger verify`: rows against their ledger events, files against their hashes."""

import json

from zhifa.ledger import services as ledger
from zhifa.ledger.models import LedgerEvent

from .models import Evidence, EvidenceAccess
from .storage import evidence_storage, hash_file

ACCESS_FIELDS = {"evidence": "evidence_id", "action": "action", "channel": "channel", "reason": "reason", "ip": "ip"}


def _events(kind: str) -> dict[str, dict]:
    rows = LedgerEvent.objects.filter(kind=kind).values_list("object_id", "entry").iterator(chunk_size=5000)
    return {object_id: json.loads(entry).get("data", {}) for object_id, entry in rows}


def check_evidence(report, check_files: bool) -> None:
    from .services import RECORD_FIELDS

    recorded = _events("evidence.recorded")
    storage = evidence_storage()
    for evidence in Evidence.objects.order_by("id").iterator(chunk_size=2000):
        data = recorded.pop(str(evidence.pk), None)
        if data is None:
            report.problem("evidence-row", f"证据 {evidence.number} 在账本中没有登记记录（未经系统登记，或账本被截断）。")
        else:
            current = ledger.snapshot(evidence, RECORD_FIELDS)
            for name, value in current.items():
                if data.get(name) != value:
                    label = Evidence._meta.get_field(name).verbose_name
                    report.problem(
                        "evidence-row",
                        f"证据 {evidence.number} 的“{label}”被改动：账本记载为 {data.get(name)!r}，现为 {value!r}。",
                    )
        if not check_files:
            continue
        try:
            with storage.open(evidence.storage_key, "rb") as fh:
                hashes = hash_file(fh)
        except (FileNotFoundError, OSError) as exc:
            report.problem("evidence-file", f"证据 {evidence.number} 的文件缺失（{evidence.storage_key}）：{exc.__class__.__name__}。")
            continue
        except Exception as exc:  # S3 errors (botocore) and the like
            report.problem("evidence-file", f"证据 {evidence.number} 的文件无法读取：{exc}")
            continue
        report.files += 1
        report.file_bytes += hashes.size
        if hashes.sm3_hex != evidence.sm3 or hashes.sha256_hex != evidence.sha256 or hashes.size != evidence.size:
            report.problem(
                "evidence-file",
                f"证据 {evidence.number} 的文件内容被改动：SM3 应为 {evidence.sm3[:16]}…，实为 {hashes.sm3_hex[:16]}…。",
            )
    for object_id, data in recorded.items():
        report.problem("evidence-row", f"账本记载的证据 {data.get('number', object_id)} 在数据库中已被删除。")

    accessed = _events("evidence.accessed")
    for access in EvidenceAccess.objects.order_by("id").iterator(chunk_size=5000):
        data = accessed.pop(str(access.pk), None)
        if data is None or any(data.get(k) != getattr(access, attr) for k, attr in ACCESS_FIELDS.items()):
            report.problem("access-row", f"调阅记录 {access.pk} 与账本记载不符（被改动或伪造）。")
    for object_id in accessed:
        report.problem("access-row", f"账本记载的调阅记录 {object_id} 在数据库中已被删除。")
