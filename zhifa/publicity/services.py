"""事后公开: a publication record for every decision, redaction reviewed before release, withdrawal,
and take-down when the publication period ends (DOMAIN.md R1.2, R1.3, R1.10)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.cases.models import PartyKind, PenaltyKind
from zhifa.cases.services import add_years
from zhifa.core import validation
from zhifa.core.blobs import BlobStore
from zhifa.core.errors import require
from zhifa.core.roles import Role, is_admin_or_head_of
from zhifa.core.text import grams, require_plain
from zhifa.ledger import services as ledger

from . import redaction, search
from .models import (
    Publication,
    PublicationCategory,
    PublicationCorrection,
    PublicationStatus,
    PublicitySetting,
    RetentionScheme,
    WithdrawalTrigger,
)

PUBLISHED_DOCUMENTS = {
    "penalty_decision": PublicationCategory.PENALTY,
    "onsite_penalty_decision": PublicationCategory.PENALTY,
    "no_penalty_decision": PublicationCategory.PENALTY,  # 不予行政处罚决定 is an enforcement decision too
    "inspection_result": PublicationCategory.INSPECTION,  # 行政检查结果 (seeds 001 一(一)4, 002 (一)4)
    "permit_decision": PublicationCategory.PERMIT,
    "seizure_decision": PublicationCategory.COERCION,
    "rectification_notice": PublicationCategory.INSPECTION,
}
RECORD_FIELDS = (
    "agency case document token category decision_number decision_date party_name party_code party_is_person conclusion "
    "basis fine_amount text redactions secret_marks due_date status reviewed_by published_on take_down_on "
    "withdrawal_trigger trigger_date withdrawal_due withdrawn_on withdrawal_reason retention_basis"
).split()
CORRECTION_FIELDS = "corrected_on note changes by".split()
# 双公示 items within 7 working days, other decisions within 20 (R1.1, R1.2).
DUE_WORKDAYS = {PublicationCategory.PENALTY: 7, PublicationCategory.PERMIT: 7}
DEFAULT_DUE_WORKDAYS = 20
KEEP_YEARS = {"person": 2, "organisation": 5}


def publication_state(publication: Publication) -> dict:
    return {
        **ledger.snapshot(publication, RECORD_FIELDS),
        "corrections": [ledger.snapshot(c, CORRECTION_FIELDS) for c in sorted(publication.corrections.all(), key=lambda c: c.pk)],
    }


def _record(kind, actor, publication, **extra):
    ledger.append(kind, actor=actor, obj=publication, data={**publication_state(publication), **extra})


def _conclusion(case, document) -> str:
    labels = dict(PenaltyKind.choices)
    if document.doc_type in ("penalty_decision", "onsite_penalty_decision"):
        parts = [labels.get(k, k) for k in case.penalty_kinds]
        if case.fine_amount:
            parts.append(f"罚款人民币 {case.fine_amount} 元")
        return "；".join(parts) or "行政处罚"
    if document.doc_type == "no_penalty_decision":
        return "不予行政处罚"
    if document.doc_type == "inspection_result":
        return "检查结果：" + (document.content.get("result") or "见公示内容")
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
    text = grams(" ".join([publication.decision_number, publication.party_name, publication.conclusion, publication.text]))
    tokens = search.filter_tokens(year=publication.decision_date.year, agency_id=publication.agency_id, category=publication.category)
    return " ".join([text, *tokens])


def _redact(publication: Publication, text: str | None = None):
    """The publication's source text (or a corrected text) with its parties' identifiers hidden."""
    case = publication.case
    people = [p for p in case.parties.all() if p.kind == PartyKind.CITIZEN]
    minors = [p.name for p in people if redaction.is_minor(p.id_code, publication.decision_date)]
    return redaction.redact(
        publication.source_text if text is None else text,
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
    publication.status, publication.reviewed_by, publication.published_on = PublicationStatus.PUBLISHED, actor, today
    publication.take_down_on, publication.retention_basis = retention(publication, today)
    publication.save()
    _record("publicity.publication.released", actor, publication)
    return publication


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def retention(publication: Publication, published_on: datetime.date) -> tuple[datetime.date, str]:
    """How long the decision stays public, by the agency's scheme, with the basis shown on the page."""
    setting = PublicitySetting.objects.filter(agency_id=publication.agency_id).first()
    if setting and setting.scheme == RetentionScheme.SAMR45 and publication.category == PublicationCategory.PENALTY:
        kinds = set(publication.case.penalty_kinds)
        low = setting.low_fine_amount
        warning_only = kinds and kinds <= {PenaltyKind.WARNING}
        low_fine = kinds == {PenaltyKind.FINE} and low is not None and (publication.fine_amount or 0) <= low
        if warning_only or low_fine:
            why = "通报批评" if warning_only else f"较低数额罚款（不超过 {low} 元，{setting.low_fine_basis or '省级规定'}）"
            return _add_months(published_on, 3), f"{why}，公示三个月（市场监督管理行政处罚信息公示规定第十四条）"
        return add_years(published_on, 3), "公示三年（市场监督管理行政处罚信息公示规定第十四条）"
    years = KEEP_YEARS["person" if publication.party_is_person else "organisation"]
    who = "自然人" if publication.party_is_person else "法人和其他组织"
    return add_years(published_on, years), f"{who}公示{'二' if years == 2 else '五'}年（冀政办发〔2015〕22号）"


@transaction.atomic
def save_setting(actor, agency, *, scheme: str, low_fine_amount=None, low_fine_basis: str = "") -> PublicitySetting:
    """The agency's take-down scheme: the general rule, or the SAMR45 variant for market regulation."""
    require(
        is_admin_or_head_of(actor, agency),
        "只有系统管理员或本机关负责人可以设置公示期限规则。",
    )
    if scheme not in RetentionScheme.values:
        raise ValidationError({"scheme": "公示期限规则无效。"})
    basis = (low_fine_basis or "").strip()
    require_plain(low_fine_basis=basis)
    if low_fine_amount in ("", None):
        low_fine_amount = None
    if scheme == RetentionScheme.SAMR45 and low_fine_amount is not None and not basis:
        raise ValidationError({"low_fine_basis": "应当写明较低数额罚款标准的依据（省级市场监管部门的规定）。"})
    setting, _ = PublicitySetting.objects.get_or_create(agency=agency)
    setting.scheme, setting.low_fine_amount, setting.low_fine_basis = scheme, low_fine_amount, basis[:300]
    validation.save(setting)
    ledger.append(
        "publicity.setting.saved", actor=actor, obj=setting, agency_id=agency.pk,
        data=ledger.snapshot(setting, ["agency", "scheme", "low_fine_amount", "low_fine_basis"]),
    )
    return setting


def _set_trigger(publication: Publication, trigger: str, trigger_date) -> None:
    """What happened to the decision and when; the 3-working-day withdrawal limit runs from that day."""
    if trigger not in WithdrawalTrigger.values:
        raise ValidationError({"trigger": "撤回事由无效。"})
    if trigger_date is None or trigger_date > timezone.localdate() or trigger_date < publication.decision_date:
        raise ValidationError({"trigger_date": "决定被变更、撤销等的日期应在决定日期与今天之间。"})
    publication.withdrawal_trigger, publication.trigger_date = trigger, trigger_date
    publication.withdrawal_due = workdays.add_workdays(trigger_date, 3, basis="行政处罚法第四十八条").date


@transaction.atomic
def record_revocation(actor, publication: Publication, *, trigger: str, trigger_date, reason: str) -> Publication:
    """The decision was changed, revoked, confirmed unlawful or void, or ordered to be redone: recorded when it
    happens, and the 3-working-day limit to withdraw the publication runs from that day (行政处罚法第四十八条;
    S001). A publication not yet released is withdrawn at once: it must never go public."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(may_release(actor, publication), "只有本机关负责人或法制审核人员可以登记决定被撤销等情况。")
    if publication.withdrawal_trigger:
        raise ValidationError("已登记该决定被变更、撤销等情况。")
    if publication.status not in (PublicationStatus.PENDING, PublicationStatus.PUBLISHED):
        raise ValidationError("该公示记录已撤回或已期满撤下。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "应当写明决定被变更、撤销等的文书（如复议决定书、判决书）和理由。"})
    require_plain(reason=reason)
    _set_trigger(publication, trigger, trigger_date)
    publication.withdrawal_reason = reason[:500]
    today = timezone.localdate()
    if publication.status == PublicationStatus.PENDING:
        publication.status, publication.withdrawn_on = PublicationStatus.WITHDRAWN, today
    publication.save()
    _record("publicity.publication.revocation_recorded", actor, publication)
    return publication


@transaction.atomic
def withdraw(actor, publication: Publication, *, reason: str, trigger: str = "", trigger_date=None) -> Publication:
    """撤回 within 3 working days of the decision being changed, revoked, or found unlawful or void, with the
    reason stated publicly (行政处罚法第四十八条). The trigger is recorded first (record_revocation), or here."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(may_release(actor, publication), "只有本机关负责人或法制审核人员可以撤回公示。")
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError("只有已公示的记录可以撤回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤回公示应当公开说明理由。"})
    require_plain(reason=reason)
    if not publication.withdrawal_trigger:
        _set_trigger(publication, trigger, trigger_date)
    recorded = publication.withdrawal_reason  # set only by record_revocation
    # The recorded revocation (which decision, which document) stays; the withdrawal statement follows it.
    publication.withdrawal_reason = (f"{recorded.rstrip('。')}。{reason}" if recorded and recorded != reason else reason)[:500]
    publication.status, publication.withdrawn_on = PublicationStatus.WITHDRAWN, timezone.localdate()
    publication.save()
    _record("publicity.publication.withdrawn", actor, publication)
    return publication


CORRECTABLE = {"party_name": "执法对象", "conclusion": "执法结论", "basis": "依据", "text": "决定内容"}


@transaction.atomic
def correct(actor, publication: Publication, *, note: str, **changes) -> Publication:
    """更正 of inaccurate published information (DOMAIN.md R1.4): the public text is replaced (redacted again,
    refused if an identifier would appear) and the note is shown on the public page with its date."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    require(may_release(actor, publication), "只有本机关负责人或法制审核人员可以更正公示信息。")
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError("只有公示中的信息可以更正。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "应当写明更正说明（更正了什么、原因），将随公示信息公开。"})
    require_plain(note=note)
    changed = []
    for name, value in changes.items():
        if name not in CORRECTABLE:
            raise ValidationError({name: "该栏目不能更正。"})
        if value is None or not str(value).strip():
            continue
        value = str(value).strip()
        if name != "text":
            require_plain(**{name: value})
        if name == "text":
            value = _redact(publication, value).text
        if getattr(publication, name) != value:
            setattr(publication, name, value[:500] if name in ("party_name", "conclusion") else value)
            changed.append(CORRECTABLE[name])
    if not changed:
        raise ValidationError({"note": "没有需要更正的内容。"})
    if redaction.leaks(publication.text + publication.party_name + publication.conclusion + publication.basis):
        raise ValidationError("更正后的内容中有身份证号码或电话号码，未作更正。")
    publication.search_grams = index_text(publication)
    publication.save()
    PublicationCorrection.objects.create(publication=publication, corrected_on=timezone.localdate(), note=note[:500], changes=changed, by=actor)
    _record("publicity.publication.corrected", actor, publication)
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
    from django.template.loader import render_to_string

    from . import statistics
    from .models import AnnualReport

    require(
        actor is None or is_admin_or_head_of(actor, agency),
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
    key, digest, _ = BlobStore("documents").put_bytes(pdf, suffix=".pdf")
    report, created = AnnualReport.objects.update_or_create(
        agency=agency, year=year, defaults={"data": data, "generated_at": timezone.now(), "pdf_key": key, "pdf_sm3": digest}
    )
    ledger.append(
        "publicity.annual_report.generated", actor=actor, obj=report,
        data={"year": year, "data": data, "pdf_sm3": digest, "replaced": not created},
    )
    return report
