"""Every write to 执法文书: drafting, editing a draft, issuing (number, PDF, seal), the party's signature."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from zhifa.cases import gates
from zhifa.cases.models import CaseStatus
from zhifa.cases.services import works_on
from zhifa.core import numbering
from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.core.text import require_plain
from zhifa.ledger import rfc9162
from zhifa.ledger import services as ledger
from zhifa.procedures.document_types import DOCUMENT_TYPES

from . import rendering, specs
from .models import Document, DocumentStatus, SignatureOutcome

RECORD_FIELDS = (
    "case agency doc_type title number status content issued_by issued_on pdf_key pdf_sm3 pdf_size "
    "signature signature_note witness signed_on"
).split()
DECISIONS = {"penalty_decision", "no_penalty_decision"}
_issue_hooks = []


def register_issue_hook(fn) -> None:
    """fn(actor, document), run inside the issuing transaction (publicity prepares the 公示 record)."""
    if fn not in _issue_hooks:
        _issue_hooks.append(fn)


def _clean_content(doc_type: str, content: dict) -> dict:
    allowed = {f.key for f in specs.fields(doc_type)}
    unknown = set(content or {}) - allowed
    if unknown:
        raise ValidationError({"content": f"该文书没有这些栏目：{'、'.join(sorted(unknown))}"})
    cleaned = {}
    for key, value in (content or {}).items():
        if not isinstance(value, str):
            raise ValidationError({key: "内容必须是文字。"})
        if len(value) > 20000:
            raise ValidationError({key: "内容过长（不超过 20000 字）。"})
        require_plain(**{key: value})
        cleaned[key] = value.strip()
    return cleaned


def may_write(actor, case, doc_type: str) -> bool:
    """The case office writes the file; the legal-review office writes its own 法制审核意见书."""
    if doc_type == "review_opinion":
        return bool(actor.is_authenticated and actor.agency_id == case.agency_id and actor.has_role(Role.REVIEWER))
    return works_on(actor, case)


def _record(kind, actor, document, **extra):
    ledger.append(kind, actor=actor, obj=document, data={**ledger.snapshot(document, RECORD_FIELDS), **extra})


@transaction.atomic
def draft_document(actor, case, *, doc_type: str, content: dict | None = None) -> Document:
    require(may_write(actor, case, doc_type), "只有本案承办人员或机关负责人可以制作本案文书。")
    if doc_type not in DOCUMENT_TYPES:
        raise ValidationError({"doc_type": "未知的文书类型。"})
    if case.status == CaseStatus.CLOSED and doc_type != "closing_report":
        raise ValidationError("案件已结案，不能再制作文书。")
    document = Document(
        case=case, agency=case.agency, doc_type=doc_type, title=specs.title(doc_type),
        content=_clean_content(doc_type, content or {}), created_by=actor,
    )
    document.save()
    _record("documents.document.drafted", actor, document)
    return document


@transaction.atomic
def update_draft(actor, document: Document, *, content: dict) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(may_write(actor, document.case, document.doc_type), "只有本案承办人员或机关负责人可以修改本案文书。")
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("文书已签发，不能修改；如需更正，请制作新的文书。")
    before = ledger.snapshot(document, ["content"])
    document.content = {**document.content, **_clean_content(document.doc_type, content)}
    document.save()
    ledger.append(
        "documents.document.updated", actor=actor, obj=document,
        data={"changes": ledger.changes(before, ledger.snapshot(document, ["content"]))},
    )
    return document


def issue_problems(document: Document) -> list[str]:
    """Why the document cannot be issued yet (empty when it can)."""
    problems = [f"“{f.label}”未填写。" for f in specs.fields(document.doc_type) if f.required and not document.content.get(f.key)]
    case = document.case
    parties = list(case.parties.all())
    if document.doc_type in ("penalty_decision", "onsite_penalty_decision"):
        # 行政处罚法第五十九条: every element is required.
        if not parties or any(not (p.name and p.address) for p in parties):
            problems.append("缺少当事人的姓名或者名称、地址（第五十九条第一项）。")
        if not case.penalty_kinds or not case.legal_basis:
            problems.append("缺少行政处罚的种类和依据：请先填写拟处理意见（第五十九条第三项）。")
    if document.doc_type in DECISIONS:
        for guard in ("review_passed_if_required", *(("defence_heard",) if document.doc_type == "penalty_decision" else ())):
            reason = gates.check_guard(case, guard)
            if reason:
                problems.append(reason)
    return problems


def _store_pdf(pdf: bytes) -> tuple[str, str]:
    digest = rfc9162.sm3(pdf).hex()
    key = f"sm3/{digest[:2]}/{digest[2:4]}/{digest}.pdf"
    storage = storages["documents"]
    if not storage.exists(key):
        saved = storage.save(key, ContentFile(pdf))
        if saved != key:
            storage.delete(saved)
    return key, digest


@transaction.atomic
def issue_document(actor, document: Document) -> Document:
    """签发: a gapless number for the agency/type/year, the PDF, the seal — or nothing at all."""
    document = Document.objects.select_for_update().select_related("case", "agency").get(pk=document.pk)
    case = document.case
    require(may_write(actor, case, document.doc_type), "只有本案承办人员或机关负责人可以签发本案文书。")
    if document.doc_type in DECISIONS:
        require(actor.has_role(Role.HEAD), "行政处罚决定须由机关负责人签发。")
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("文书已签发。")
    problems = issue_problems(document)
    if problems:
        raise ValidationError({"document": problems})
    today = timezone.localdate()
    number = numbering.next_number(
        agency_id=case.agency_id, prefix=case.agency.short_name, type_code=specs.type_code(document.doc_type), year=today.year
    )
    pdf = rendering.render_pdf(document, number=number, issued_on=today)
    if document.doc_type in specs.SEALED:
        pdf = rendering.seal_pdf(pdf, case.agency)
    key, digest = _store_pdf(pdf)
    document.number = number
    document.status = DocumentStatus.ISSUED
    document.issued_by = actor
    document.issued_on = today
    document.pdf_key, document.pdf_sm3, document.pdf_size = key, digest, len(pdf)
    document.save()
    _record("documents.document.issued", actor, document)
    for hook in _issue_hooks:
        hook(actor, document)
    return document


@transaction.atomic
def record_signature(actor, document: Document, *, outcome: str, note: str = "", witness: str = "", signed_on=None) -> Document:
    """当事人签名，或注明拒绝签名；当事人不在场的由见证人签名 (DOMAIN.md R2.5)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(works_on(actor, document.case), "只有本案承办人员或机关负责人可以登记签名情况。")
    if document.doc_type not in specs.PARTY_SIGNS:
        raise ValidationError("该文书不需要当事人签名。")
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError("文书签发后才能登记签名情况。")
    if document.signature:
        raise ValidationError("已登记签名情况。")
    if outcome not in SignatureOutcome.values:
        raise ValidationError({"outcome": "签名情况无效。"})
    note, witness = (note or "").strip(), (witness or "").strip()
    if outcome == SignatureOutcome.REFUSED and not note:
        raise ValidationError({"note": "当事人拒绝签名的，应当注明拒绝的情况。"})
    if outcome == SignatureOutcome.ABSENT:
        if document.doc_type not in specs.WITNESS_ALLOWED:
            raise ValidationError({"outcome": "该文书不适用见证人签名。"})
        if not witness:
            raise ValidationError({"witness": "当事人不在场的，应当由见证人签名（行政强制法第十八条）。"})
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate() or signed_on < document.issued_on:
        raise ValidationError({"signed_on": "签名日期应在签发日期与今天之间。"})
    document.signature, document.signature_note, document.witness, document.signed_on = outcome, note[:300], witness[:100], signed_on
    document.save()
    _record("documents.document.signed", actor, document)
    return document


def pdf_bytes(document: Document) -> bytes:
    with storages["documents"].open(document.pdf_key, "rb") as fh:
        return fh.read()


def pdf_stream(document: Document):
    return storages["documents"].open(document.pdf_key, "rb") if document.pdf_key else io.BytesIO(b"")
