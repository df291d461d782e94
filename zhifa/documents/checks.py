"""The documents part of `zhifa ledger verify`: rows replayed from the ledger, issued PDFs against their SM3."""

from django.core.files.storage import storages

from zhifa.ledger import rfc9162
from zhifa.ledger.replay import Spec, compare, field_labels, replayed

from .models import Document, DocumentStatus

DOCUMENTS = replayed(Spec("documents.document", "执法文书", created={"documents.document.drafted", "documents.document.issued", "documents.document.signed", "documents.document.served"}, updated={"documents.document.updated"}))


def check_documents(report, check_files: bool) -> None:
    from .services import document_state

    compare(
        report,
        DOCUMENTS,
        ((d.pk, d.number or f"{d.title}（草稿）", document_state(d)) for d in Document.objects.order_by("id").prefetch_related("services").iterator(chunk_size=500)),
        field_labels(Document, {"services": "送达记录"}),
    )
    if not check_files:
        return
    storage = storages["documents"]
    for doc in Document.objects.filter(status=DocumentStatus.ISSUED).order_by("id").iterator():
        try:
            with storage.open(doc.pdf_key, "rb") as fh:
                digest = rfc9162.sm3(fh.read()).hex()
        except Exception as exc:
            report.problem("document-file", f"文书 {doc.number} 的 PDF 缺失或无法读取：{exc.__class__.__name__}。")
            continue
        report.files += 1
        report.file_bytes += doc.pdf_size or 0
        if digest != doc.pdf_sm3:
            report.problem("document-file", f"文书 {doc.number} 的 PDF 被改动：SM3 与签发时不符。")
