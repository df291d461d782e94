"""Every write to 执法文书: drafting, editing a draft, issuing (number, PDF, seal), the party's signature."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.cases import gates
from zhifa.cases import services as cases
from zhifa.cases.models import CaseStatus
from zhifa.cases.services import works_on
from zhifa.core import numbering
from zhifa.core.blobs import BlobStore
from zhifa.core.errors import require
from zhifa.core.registry import Registry
from zhifa.core.roles import Role
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger
from zhifa.procedures.definitions import REVIEWED_DECISIONS
from zhifa.procedures.document_types import DOCUMENT_TYPES
from zhifa.workflow import approvals

from . import rendering, specs
from .models import PUBLIC_NOTICE_DAYS, Document, DocumentStatus, Service, ServiceManner, SignatureOutcome

RECORD_FIELDS = (
    "case agency doc_type title number status content issued_by issued_on pdf_key pdf_sm3 pdf_size "
    "signature signature_note witness signed_on"
).split()
DECISIONS = {"penalty_decision", "no_penalty_decision"}
# Signed by the head: decisions, 先行登记保存 which needs the head's approval (行政处罚法第五十六条), and the 审批表
# of 立案 (第五十四条), 行政检查 and 查封扣押 (行政强制法第十八条第一项) whose approval is the head's own act.
APPROVAL_FORMS = {"filing_approval", "no_filing_approval", "inspection_approval", "seizure_approval"}
HEAD_SIGNS = DECISIONS | {"preservation_notice", "preservation_decision"} | APPROVAL_FORMS
SERVICE_FIELDS = "manner act_on served_on recipient place witnesses note recorded_by".split()
issue_hooks = Registry("documents.issue_hooks", "fn(actor, document), run inside the issuing transaction (publicity prepares the 公示 record).")


def _clean_content(doc_type: str, content: dict) -> dict:
    allowed = {f.key for f in specs.fields(doc_type)}
    unknown = set(content or {}) - allowed
    if unknown:
        raise ValidationError({"content": f"该文书没有这些栏目：{'、'.join(sorted(unknown))}"})
    cleaned = {}
    kinds = {f.key: f for f in specs.fields(doc_type)}
    for key, value in (content or {}).items():
        if not isinstance(value, str):
            raise ValidationError({key: "内容必须是文字。"})
        if len(value) > 20000:
            raise ValidationError({key: "内容过长（不超过 20000 字）。"})
        require_plain(**{key: value})
        value = value.strip()
        if value and kinds[key].kind == "date":
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError({key: f"“{kinds[key].label}”应为日期，如 2026-01-05。"})
        cleaned[key] = value
    return cleaned


def may_write(actor, case, doc_type: str) -> bool:
    """The case office writes the file; the legal-review office writes its own 法制审核意见书."""
    if doc_type == "review_opinion":
        return bool(actor.is_authenticated and actor.agency_id == case.agency_id and actor.has_role(Role.REVIEWER))
    return works_on(actor, case)


def document_state(document: Document) -> dict:
    """The document's row and its service records: every document event carries it whole."""
    return {
        **ledger.snapshot(document, RECORD_FIELDS),
        "services": [ledger.snapshot(s, SERVICE_FIELDS) for s in sorted(document.services.all(), key=lambda s: s.pk)],
    }


def _record(kind, actor, document, **extra):
    ledger.append(kind, actor=actor, obj=document, data={**document_state(document), **extra})


@transaction.atomic
def draft_document(actor, case, *, doc_type: str, content: dict | None = None, _review_task=None) -> Document:
    if doc_type not in DOCUMENT_TYPES:
        raise ValidationError({"doc_type": "未知的文书类型。"})
    if doc_type == "review_opinion" and _review_task is None:
        # Only a review task writes the 法制审核意见书 (its checklist and opinion); one made by hand does not count.
        raise ValidationError({"doc_type": "《法制审核意见书》由法制审核人员在审核任务中作出，不能单独制作。"})
    require(may_write(actor, case, doc_type), "只有本案承办人员或机关负责人可以制作本案文书。")
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
    if approvals.pending_for(ISSUE_APPROVAL, document) is not None:
        raise ValidationError("该文书已送机关负责人审批，审批前不能修改；如需修改，请先撤回审批申请。")
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
        if document.doc_type == "penalty_decision" and _hearing_held(case) and not _issued(case, "hearing_record"):
            problems.append("经过听证的案件，应当根据听证笔录作出决定，听证笔录尚未签发（行政处罚法第六十五条）。")
    if document.doc_type in REVIEWED_DECISIONS - DECISIONS:
        # 许可、查封扣押、责令改正、检查结果: a major case's decision waits for the review like a penalty does.
        reason = gates.check_guard(case, "review_passed_if_required")
        if reason:
            problems.append(reason)
    if document.doc_type == "penalty_notice":
        from zhifa.cases.models import ProposedOutcome

        if case.proposed_outcome != ProposedOutcome.PENALTY or not case.penalty_kinds:
            problems.append("告知书应当载明拟作出的行政处罚种类和数额：请先填写拟处理意见（行政处罚法第四十四条）。")
        if not case.legal_basis:
            problems.append("告知书应当载明拟作出处罚的依据：请在拟处理意见中写明法律条款（行政处罚法第四十四条）。")
    if document.doc_type in ("hearing_notice", "hearing_record"):
        problems += _hearing_problems(document)
    return problems


def _issued(case, doc_type: str):
    return case.documents.filter(doc_type=doc_type, status=DocumentStatus.ISSUED).order_by("-issued_on", "-pk").first()


def _hearing_held(case) -> bool:
    return case.history.filter(stage="hearing").exists() or case.documents.filter(doc_type="hearing_record", status=DocumentStatus.ISSUED).exists()


def _hearing_problems(document: Document) -> list[str]:
    """The host is not one of the case's investigators (第六十四条第四项); the 听证通知书 reaches the party at
    least seven working days before the hearing (第六十四条第二项, 第八十五条)."""
    case, problems = document.case, []
    host = (document.content.get("host") or "").strip()
    investigators = {a.person.full_name for a in case.officers.select_related("person")}
    named = {name for name in investigators if name and name in host}
    if named:
        problems.append(f"听证主持人不得由本案调查人员担任（{'、'.join(sorted(named))}承办本案，行政处罚法第六十四条第四项）。")
    day = document.content.get("hearing_at")
    if not day:
        return problems
    hearing_on = datetime.date.fromisoformat(day)
    if document.doc_type == "hearing_notice":
        earliest = workdays.add_workdays(timezone.localdate(), 7).date
        if hearing_on < earliest:
            problems.append(f"听证日期应在通知送达之日七个工作日以后（最早 {earliest:%Y年%m月%d日}，行政处罚法第六十四条第二项）。")
    else:
        notice = _issued(case, "hearing_notice")
        service = notice and notice.services.order_by("served_on").first()
        if service is None:
            problems.append("《听证通知书》尚未送达当事人，不能举行听证。")
        else:
            earliest = workdays.add_workdays(service.served_on, 7).date
            if hearing_on < earliest:
                problems.append(
                    f"《听证通知书》于 {service.served_on:%Y年%m月%d日} 送达，听证最早应在 {earliest:%Y年%m月%d日} 举行"
                    f"（举行听证的七个工作日前通知，行政处罚法第六十四条第二项）。"
                )
        if hearing_on > timezone.localdate():
            problems.append("听证笔录的听证日期不能晚于今天。")
    return problems


pdfs = BlobStore("documents")


def _store_pdf(pdf: bytes) -> tuple[str, str]:
    key, digest, _ = pdfs.put_bytes(pdf, suffix=".pdf")
    return key, digest


@transaction.atomic
def issue_document(actor, document: Document, *, approval=None) -> Document:
    """签发: a gapless number for the agency/type/year, the PDF, the seal — or nothing at all. A document the head
    signs is issued by the head, directly or on approving the officer's request (`approval`); either way the
    head's name, date and opinion are printed on it."""
    document = Document.objects.select_for_update().select_related("case", "agency").get(pk=document.pk)
    case = document.case
    require(may_write(actor, case, document.doc_type), "只有本案承办人员或机关负责人可以签发本案文书。")
    if document.doc_type in HEAD_SIGNS:
        require(actor.has_role(Role.HEAD), f"《{document.title}》须由机关负责人签发（批准）。")
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("文书已签发。")
    problems = issue_problems(document)
    if problems:
        raise ValidationError({"document": problems})
    today = timezone.localdate()
    number = numbering.next_number(
        agency_id=case.agency_id, prefix=case.agency.short_name, type_code=specs.type_code(document.doc_type), year=today.year
    )
    printed = None
    if document.doc_type in HEAD_SIGNS:
        printed = {"name": actor.full_name or actor.username, "date": rendering.chinese_date(today),
                   "opinion": approval.opinion if approval is not None else ""}
    pdf = rendering.render_pdf(document, number=number, issued_on=today, approval=printed)
    if document.doc_type in specs.SEALED:
        pdf = rendering.seal_pdf(pdf, case.agency)
    key, digest = _store_pdf(pdf)
    document.number = number
    document.status = DocumentStatus.ISSUED
    document.issued_by = actor
    document.issued_on = today
    document.pdf_key, document.pdf_sm3, document.pdf_size = key, digest, len(pdf)
    document.save()
    if document.doc_type == "penalty_notice":
        cases.record_notice(actor, case)
    cases.record_act(case, f"issued:{document.doc_type}", today)
    _record("documents.document.issued", actor, document)
    cases.record_event("cases.case.act", actor, case, act=f"issued:{document.doc_type}", document=number)
    for hook in issue_hooks:
        hook(actor, document)
    return document


ISSUE_APPROVAL = "documents.issue"


@transaction.atomic
def request_issue(actor, document: Document, *, note: str = ""):
    """送审批签发: an officer sends a document the head must sign (a decision, 先行登记保存 …) to the agency's heads;
    the head who approves it issues it (issue_document with the approval)."""
    document = Document.objects.select_related("case", "agency").get(pk=document.pk)
    case = document.case
    require(may_write(actor, case, document.doc_type), "只有本案承办人员可以送审批。")
    if document.doc_type not in HEAD_SIGNS:
        raise ValidationError("该文书由承办人员签发，不需要送机关负责人审批。")
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("文书已签发。")
    problems = issue_problems(document)  # the head is not asked to approve what could not be issued
    if problems:
        raise ValidationError({"document": problems})
    return approvals.request(
        actor, kind=ISSUE_APPROVAL, subject=document, agency_id=case.agency_id,
        title=f"签发《{document.title}》（{case.number} {case.title}）", link=f"/documents/{document.pk}/", note=note,
    )


def _issue_on_approval(head, approval) -> None:
    issue_document(head, Document.objects.get(pk=approval.subject_id), approval=approval)


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
    with pdfs.open(document.pdf_key) as fh:
        return fh.read()


def pdf_stream(document: Document):
    return pdfs.open(document.pdf_key)


@transaction.atomic
def record_service(
    actor, document: Document, *, manner: str, act_on, recipient: str = "", place: str = "", witnesses: str = "", note: str = "",
) -> Service:
    """送达: how and when an issued document reached the party (行政处罚法第六十一条; 民事诉讼法 Arts. 87–95).
    The party's periods (听证申请, 缴纳罚款 …) run from `served_on`; for 公告送达 that is thirty days later."""
    document = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    case = document.case
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以登记送达。")
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError("文书签发后才能送达。")
    if manner not in ServiceManner.values:
        raise ValidationError({"manner": "送达方式无效。"})
    today = timezone.localdate()
    if act_on is None or act_on > today or act_on < document.issued_on:
        raise ValidationError({"act_on": "送达日期应在文书签发日与今天之间。"})
    recipient = (recipient or "").strip() or "、".join(p.name for p in case.parties.all())
    place, witnesses, note = (place or "").strip(), (witnesses or "").strip(), (note or "").strip()
    require_plain(recipient=recipient, place=place, witnesses=witnesses, note=note)
    if manner == ServiceManner.LEFT and not witnesses:
        raise ValidationError({"witnesses": "留置送达应当注明拒收事由和日期，由送达人、见证人签名（民事诉讼法第八十九条）。"})
    if manner == ServiceManner.ELECTRONIC and not note:
        raise ValidationError({"note": "电子送达须经受送达人同意并签订确认书，请注明确认书及送达的电子地址（行政处罚法第六十一条）。"})
    if manner == ServiceManner.PUBLIC_NOTICE and not place:
        raise ValidationError({"place": "公告送达应当注明公告的载体（报纸、网站或公告栏）。"})
    if manner == ServiceManner.POST and not note:
        raise ValidationError({"note": "邮寄送达应当注明邮件单号；送达日期为签收日期。"})
    if document.services.exists():
        raise ValidationError("该文书已登记送达。")
    served_on = act_on + datetime.timedelta(days=PUBLIC_NOTICE_DAYS) if manner == ServiceManner.PUBLIC_NOTICE else act_on
    service = Service.objects.create(
        document=document, manner=manner, act_on=act_on, served_on=served_on, recipient=recipient[:200], place=place[:200],
        witnesses=witnesses[:200], note=note[:500], recorded_by=actor,
    )
    cases.record_act(case, f"served:{document.doc_type}", served_on)
    _record("documents.document.served", actor, document)
    cases.record_event("cases.case.act", actor, case, act=f"served:{document.doc_type}", document=document.number)
    return service
