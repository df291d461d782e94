"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

# Every document event carries the document's state after the change (services.document_state).
DOCUMENT = "number doc_type case agency status"

declare("documents.document.drafted", "制作文书草稿", DOCUMENT + " content")
declare("documents.document.updated", "修改文书草稿", "changes")
declare("documents.document.issued", "签发文书", DOCUMENT + " issued_by issued_on pdf_sm3")
declare("documents.document.signed", "登记当事人签名", DOCUMENT + " signature signed_on")
declare("documents.document.served", "登记送达", DOCUMENT + " services")
