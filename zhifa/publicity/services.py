"""事后公开: a publication record for every decision, redaction reviewed before release, withdrawal,
and take-down when the publication period ends (DOMAIN.md R1.2, R1.3, R1.10)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.cases.models import PartyKind, PenaltyKind
from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.ledger import services as ledger

from . import redaction, search
from .models import Publication, PublicationCategory, PublicationStatus, WithdrawalTrigger

PUBLISHED_DOCUMENTS = {
    "penalty_decision": PublicationCategory.PENALTY,
    "onsite_penalty_decision": PublicationCategory.PENALTY,
    "permit_decision": PublicationCategory.PERMIT,
    "seizure_decision": PublicationCategory.COERCION,
    "rectification_notice": PublicationCategory.INSPECTION,
}
RECORD_FIELDS = (
    "agency case document token category decision_number decision_date party_name party_code party_is_person conclusion "
    "basis fine_amount text redactions secret_marks due_date status reviewed_by published_on take_down_on "
    "withdrawal_trigger trigger_date withdrawal_due withdrawn_on withdrawal_reason"
).split()
# 双公示 items within 7 working days, other decisions within 20 (R1.1, R1.2).
DUE_WORKDAYS = {PublicationCategory.PENALTY: 7, PublicationCategory.PERMIT: 7}
DEFAULT_DUE_WORKDAYS = 20
KEEP_YEARS = {"person": 2, "organisation": 5}


def _record(kind, actor, publication):
    ledger.append(kind, actor=actor, obj=publication, data=ledger.snapshot(publication, RECORD_FIELDS))


def _conclusion(case, document) -> str:
    labels = dict(PenaltyKind.choices)
    if document.doc_type in ("penalty_decision", "onsite_penalty_decision"):
        parts = [labels.get(k, k) for k in case.penalty_kinds]
        if case.fine_amount:
            parts.append(f"罚款人民币 {case.fine_amount} 元")
        return "；".join(parts) or "行政处罚"
    return document.title


def _source_text(case, document) -> str:
    from zhifa.documents import specs

    lines = [f"{document.title} {document.number}", f"执法机关：{case.agency.name}"]
    for party in case.parties.all():
        lines.append(f"当事人：{party.name}；地址：{party.address}" + (f"；证件号码：{party.id_code}" if party.id_code else ""))
    for f in specs.fields(document.doc_type):
        if document.content.get(f.key):
            lines.append(f"{f.label}：{document.content[f.key]}")
    if case.legal_basis:
        lines.append(f"依据：{case.legal_basis}")
    return "\n".join(lines)


def index_text(publication: Publication) -> str:
    """Only what the public sees is searchable; the portal's filters ride along as tokens."""
    text = search.grams(" ".join([publication.decision_number, publication.party_name, publication.conclusion, publication.text]))
    tokens = search.filter_tokens(year=publication.decision_date.year, agency_id=publication.agency_id, category=publication.category)
    return " ".join([text, *tokens])


def _redact(publication: Publication):
    case = publication.case
    people = [p for p in case.parties.all() if p.kind == PartyKind.CITIZEN]
    minors = [p.name for p in people if redaction.is_minor(p.id_code, publication.decision_date)]
    return redaction.redact(
        publication.source_text,
        addresses=[p.address for p in people],
        minors=minors,
        secrets=publication.secret_marks,
    )


def publication_for_decision(actor, document) -> Publication | None:
    """Called when a decision is issued: the record and its deadline exist from that moment."""
    category = PUBLISHED_DOCUMENTS.get(document.doc_type)
    if category is None or hasattr(document, "publication"):
        return None
    case = document.case
    parties = list(case.parties.all())
    first = parties[0] if parties else None
    is_person = bool(first and first.kind == PartyKind.CITIZEN)
    amount = DUE_WORKDAYS.get(category, DEFAULT_DUE_WORKDAYS)
    due = workdays.add_workdays(document.issued_on, amount, basis="行政执法决定公示期限")
    publication = Publication(
        agency=case.agency, case=case, document=document, category=category, decision_number=document.number,
        decision_date=document.issued_on, party_is_person=is_person,
        party_name="、".join(p.name for p in parties),
        party_code="" if is_person or not first else first.id_code,
        conclusion=_conclusion(case, document)[:500], basis=case.legal_basis,
        fine_amount=case.fine_amount if category == PublicationCategory.PENALTY else None,
        source_text=_source_text(case, document), due_date=due.date, due_rule=due.rule,
    )
    result = _redact(publication)
    publication.text, publication.redactions = result.text, result.findings
    if any(redaction.is_minor(p.id_code, publication.decision_date) for p in parties if p.kind == PartyKind.CITIZEN):
        publication.party_name = "未成年人（姓名已隐去）"
    publication.search_grams = index_text(publication)
    publication.save()
    _record("publicity.publication.prepared", actor, publication)
    return publication


def may_release(actor, publication: Publication) -> bool:
    return bool(
        actor.is_authenticated and actor.agency_id == publication.agency_id
        and (actor.has_role(Role.HEAD) or actor.has_role(Role.REVIEWER))
    )


@transaction.atomic
def release(actor, publication: Publication, *, secret_marks=()) -> Publication:
    """审核后公开: the reviewer marks trade secrets; nothing identifying may remain in the public text."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(may_release(actor, publication), "只有本机关负责人或法制审核人员可以审核公示内容。")
    if publication.status != PublicationStatus.PENDING:
        raise ValidationError("该公示记录不是待审核状态。")
    publication.secret_marks = sorted({m.strip() for m in secret_marks if m and m.strip()})
    result = _redact(publication)
    publication.text, publication.redactions = result.text, result.findings
    left = redaction.leaks(publication.text + publication.party_name + publication.conclusion)
    if left:
        raise ValidationError("公开文本中仍有身份证号码或手机号码，请标记后再公开。")
    publication.search_grams = index_text(publication)
    today = timezone.localdate()
    years = KEEP_YEARS["person" if publication.party_is_person else "organisation"]
    publication.status, publication.reviewed_by, publication.published_on = PublicationStatus.PUBLISHED, actor, today
    publication.take_down_on = _add_years(today, years)
    publication.save()
    _record("publicity.publication.released", actor, publication)
    return publication


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def withdraw(actor, publication: Publication, *, trigger: str, trigger_date, reason: str) -> Publication:
    """撤回 within 3 working days of the decision being changed, revoked, or found unlawful or void,
    with the reason stated publicly (行政处罚法第四十八条)."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(may_release(actor, publication), "只有本机关负责人或法制审核人员可以撤回公示。")
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError("只有已公示的记录可以撤回。")
    if trigger not in WithdrawalTrigger.values:
        raise ValidationError({"trigger": "撤回事由无效。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤回公示应当公开说明理由。"})
    today = timezone.localdate()
    if trigger_date is None or trigger_date > today or trigger_date < publication.decision_date:
        raise ValidationError({"trigger_date": "决定被变更、撤销等的日期应在决定日期与今天之间。"})
    publication.withdrawal_trigger, publication.trigger_date, publication.withdrawal_reason = trigger, trigger_date, reason[:500]
    publication.withdrawal_due = workdays.add_workdays(trigger_date, 3, basis="行政处罚法第四十八条").date
    publication.status, publication.withdrawn_on = PublicationStatus.WITHDRAWN, today
    publication.save()
    _record("publicity.publication.withdrawn", actor, publication)
    return publication


@transaction.atomic
def take_down_expired(today=None) -> int:
    """公示期满撤下 (5 years; 2 years for natural persons). Run daily: `zhifa publicity takedown`."""
    today = today or timezone.localdate()
    expired = list(Publication.objects.select_for_update().filter(status=PublicationStatus.PUBLISHED, take_down_on__lte=today))
    for publication in expired:
        publication.status = PublicationStatus.TAKEN_DOWN
        publication.save()
        _record("publicity.publication.taken_down", None, publication)
    return len(expired)


def _svg_bars(data: dict, color: str = "#b3261e") -> str:
    """A small horizontal bar chart for the PDF (the web page draws the same data with ECharts)."""
    from html import escape

    items = [(k, v) for k, v in data.items()]
    if not items:
        return ""
    top = max(v for _, v in items) or 1
    rows = []
    for i, (label, value) in enumerate(items):
        width = 300 * value / top
        y = 8 + i * 26
        rows.append(
            f'<text x="0" y="{y + 14}" font-size="11">{escape(str(label))}</text>'
            f'<rect x="150" y="{y}" width="{width:.0f}" height="18" fill="{color}"/>'
            f'<text x="{156 + width:.0f}" y="{y + 14}" font-size="11">{value}</text>'
        )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="{16 + 26 * len(items)}">{"".join(rows)}</svg>'


@transaction.atomic
def generate_annual_report(actor, agency, year: int):
    """统计年报 for one agency and year, with its PDF; regenerating replaces it (both are on the ledger)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.template.loader import render_to_string

    from zhifa.ledger import rfc9162

    from . import statistics
    from .models import AnnualReport

    require(
        actor is None or actor.is_superuser or actor.has_role(Role.ADMIN) or (actor.agency_id == agency.pk and actor.has_role(Role.HEAD)),
        "只有系统管理员或本机关负责人可以生成统计年报。",
    )
    if year >= timezone.localdate().year:
        raise ValidationError({"year": "统计年报只能针对已结束的年度生成。"})
    data = statistics.compute(agency, year)
    import weasyprint

    html = render_to_string(
        "publicity/annual_pdf.html",
        {"d": data, "due": statistics.due_date(year), "category_svg": _svg_bars(data["cases_by_category"]),
         "kind_svg": _svg_bars(data["penalties_by_kind"]), "review_svg": _svg_bars(data["reviews_by_outcome"], "#37474f")},
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    digest = rfc9162.sm3(pdf).hex()
    key = f"annual/{agency.pk}/{year}-{digest[:16]}.pdf"
    storage = storages["documents"]
    if not storage.exists(key):
        storage.save(key, ContentFile(pdf))
    report, created = AnnualReport.objects.update_or_create(
        agency=agency, year=year, defaults={"data": data, "generated_at": timezone.now(), "pdf_key": key, "pdf_sm3": digest}
    )
    ledger.append(
        "publicity.annual_report.generated", actor=actor, obj=report,
        data={"year": year, "data": data, "pdf_sm3": digest, "replaced": not created},
    )
    return report
