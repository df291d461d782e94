"""The evidence part of `zhifa ledger verify`: rows replayed from the ledger, files against their hashes."""

from zhifa.ledger import services as ledger
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Evidence, EvidenceAccess
from .storage import evidence_storage, hash_file, orphans

EVIDENCE = replayed(Spec("evidence.evidence", "证据", created={"evidence.recorded"}))
ACCESSES = replayed(Spec("evidence.evidenceaccess", "调阅记录", created={"evidence.accessed"}))


def check_evidence(report, check_files: bool) -> None:
    from .services import ACCESS_FIELDS, RECORD_FIELDS

    compare(
        report,
        EVIDENCE,
        ((e.pk, e.number, ledger.snapshot(e, RECORD_FIELDS)) for e in Evidence.objects.order_by("id").iterator(chunk_size=2000)),
        field_labels(Evidence),
    )
    compare(
        report,
        ACCESSES,
        ((a.pk, a.pk, ledger.snapshot(a, ACCESS_FIELDS)) for a in EvidenceAccess.objects.order_by("id").iterator(chunk_size=5000)),
        field_labels(EvidenceAccess),
    )
    if not check_files:
        return
    recorded = set(Evidence.objects.values_list("storage_key", flat=True))
    left = orphans(recorded)
    for key in left["unrecorded"]:
        report.warnings.append(f"证据存储中的文件 {key} 没有对应的证据登记（上传中断或被放入）；zhifa evidence sweep 可清理。")
    if left["incoming"]:
        report.warnings.append(f"证据存储中有 {len(left['incoming'])} 个未完成上传的临时文件；zhifa evidence sweep 可清理。")
    storage = evidence_storage()
    for evidence in Evidence.objects.order_by("id").iterator(chunk_size=2000):
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
