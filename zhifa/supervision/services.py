"""执法监督: running the problem models, and each step of a clue's life (交办 → 说明或整改 → 办结)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.core import numbering
from zhifa.core.errors import require
from zhifa.core.roles import Role, is_admin
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger
from zhifa.org.models import Person
from zhifa.org.selectors import sees_all_agencies, visible_agencies

from . import detectors
from .models import OPEN_STATUSES, Clue, ClueStatus

CLUE_FIELDS = ("model key is_open agency severity title basis status gone_at assigned_to assigned_by due_date answer answered_by "
               "answered_at closed_by closed_at close_note").split()
REPLY_WORKDAYS = 10  # the default time to answer a clue; the supervisor may set another


def _record(kind: str, actor, obj, **extra) -> None:
    """The step on the ledger with the clue's or the directive's whole state (replayed by ledger verify)."""
    fields = CLUE_FIELDS if isinstance(obj, Clue) else DIRECTIVE_FIELDS
    ledger.append(kind, actor=actor, obj=obj, agency_id=obj.agency_id, data={**ledger.snapshot(obj, fields), **extra})


def may_supervise(actor, clue: Clue) -> bool:
    """Supervisors whose region covers the clue's agency (and, for a clue about the platform, who see every agency)."""
    if not (actor.is_authenticated and (actor.has_role(Role.SUPERVISOR) or is_admin(actor))):
        return False
    if clue.agency_id is None:
        return sees_all_agencies(actor)
    return visible_agencies(actor).filter(pk=clue.agency_id).exists()


def may_answer(actor, clue: Clue) -> bool:
    return actor.is_authenticated and clue.agency_id is not None and actor.agency_id == clue.agency_id and (
        actor.pk == clue.assigned_to_id or actor.has_role(Role.HEAD))


# ---------------------------------------------------------------- running the models

def may_run_models(actor) -> bool:
    return actor.is_authenticated and (is_admin(actor) or actor.has_role(Role.SUPERVISOR))


def run_models(codes=None, *, today=None, actor=None) -> dict:
    """Every model (or those named): a clue for each new situation, none for one already open, and a lasting
    situation that is gone closes its clue. Each model runs in its own transaction. `actor` None is the scheduler."""
    require(actor is None or may_run_models(actor), "只有执法监督人员或系统管理员可以运行问题模型。")
    today = today or timezone.localdate()
    chosen = detectors.all_detectors() if not codes else [detectors.get(c) for c in codes]
    if any(d is None for d in chosen):
        raise ValidationError({"model": "没有这个问题模型。"})
    counts = {"found": 0, "new": 0, "closed": 0}
    for detector in chosen:
        with transaction.atomic():
            found = {f.key: f for f in detector.find(today)}
            counts["found"] += len(found)
            open_clues = {c.key: c for c in Clue.objects.select_for_update().filter(model=detector.code, is_open=True)}
            # An event (not lasting) is one clue for good: once a supervisor has closed it, it stays closed.
            known = open_clues.keys() if detector.lasting else set(
                Clue.objects.filter(model=detector.code, key__in=list(found)).values_list("key", flat=True))
            now = timezone.now()
            for key, finding in found.items():
                if key in known:
                    continue
                clue = Clue.objects.create(
                    model=detector.code, key=key[:200], agency_id=finding.agency_id, severity=detector.severity, title=finding.title[:300],
                    detail=finding.detail, basis=detector.basis[:300], link=finding.link[:300], found_at=now,
                )
                _record("supervision.clue.found", None, clue)
                counts["new"] += 1
            if detector.lasting:
                for key, clue in open_clues.items():
                    if key not in found:
                        clue.is_open, clue.status, clue.gone_at, clue.closed_at = False, ClueStatus.CLOSED, now, now
                        clue.close_note = "系统复核：该情况已消除，线索自动办结。"
                        clue.save()
                        _record("supervision.clue.closed", None, clue)
                        counts["closed"] += 1
    return counts


# ---------------------------------------------------------------- a clue's life

def _locked(clue: Clue) -> Clue:
    return Clue.objects.select_for_update().get(pk=clue.pk)


@transaction.atomic
def assign(actor, clue: Clue, *, to: Person, workdays_to_reply: int = REPLY_WORKDAYS, note: str = "") -> Clue:
    """交办: the supervisor sends the clue to a person of the agency, who must explain or correct it in time."""
    clue = _locked(clue)
    require(may_supervise(actor, clue), "只有辖区内的执法监督人员可以交办线索。")
    if clue.status not in (ClueStatus.NEW, ClueStatus.EXPLAINED, ClueStatus.CORRECTED):
        raise ValidationError("该线索已交办待答复或已办结。")
    if clue.agency_id is None:
        raise ValidationError("该线索涉及平台本身，由系统管理员处理后办结，不交办执法主体。")
    if not isinstance(to, Person) or to.agency_id != clue.agency_id or not to.is_active:
        raise ValidationError({"to": "只能交办给该执法主体的在岗人员。"})
    if not isinstance(workdays_to_reply, int) or not 1 <= workdays_to_reply <= 60:
        raise ValidationError({"workdays_to_reply": "答复期限应为 1 到 60 个工作日。"})
    note = (note or "").strip()
    require_plain(note=note)
    clue.status, clue.assigned_to, clue.assigned_by = ClueStatus.ASSIGNED, to, actor
    clue.due_date = workdays.add_workdays(timezone.localdate(), workdays_to_reply).date
    clue.save()
    _record("supervision.clue.assigned", actor, clue, note=note[:500])
    return clue


@transaction.atomic
def answer(actor, clue: Clue, *, outcome: str, text: str) -> Clue:
    """The agency's answer: 情况说明 (why it is lawful) or 整改情况 (what was put right)."""
    clue = _locked(clue)
    require(may_answer(actor, clue), "只有被交办人或该执法主体的负责人可以答复。")
    if clue.status != ClueStatus.ASSIGNED:
        raise ValidationError("该线索不在待答复状态。")
    if outcome not in (ClueStatus.EXPLAINED, ClueStatus.CORRECTED):
        raise ValidationError({"outcome": "请选择“说明情况”或“已整改”。"})
    text = (text or "").strip()
    require_plain(text=text)
    if len(text) < 5:
        raise ValidationError({"text": "请写明情况说明或整改情况。"})
    clue.status, clue.answer, clue.answered_by, clue.answered_at = outcome, text[:5000], actor, timezone.now()
    clue.save()
    _record("supervision.clue.answered", actor, clue)
    return clue


@transaction.atomic
def close(actor, clue: Clue, *, note: str) -> Clue:
    """办结: the supervisor accepts the answer, or finds no problem. If the situation is still there, the next run
    of its model opens a new clue for it."""
    clue = _locked(clue)
    require(may_supervise(actor, clue), "只有辖区内的执法监督人员可以办结线索。")
    if clue.status not in OPEN_STATUSES:
        raise ValidationError("该线索已办结。")
    note = (note or "").strip()
    require_plain(note=note)
    if not note:
        raise ValidationError({"note": "请写明办结意见。"})
    clue.is_open, clue.status, clue.closed_by, clue.closed_at, clue.close_note = False, ClueStatus.CLOSED, actor, timezone.now(), note[:500]
    clue.save()
    _record("supervision.clue.closed", actor, clue)
    return clue


# ---------------------------------------------------------------- 督办 and correction

DIRECTIVE_FIELDS = ("kind number issuer_agency issued_by agency case clue subject basis reply_workdays due_date status reply replied_by "
                    "review_note closed_by").split()


def may_direct(actor, agency) -> bool:
    """A supervisor of a supervisory agency whose region covers the agency."""
    return (actor.is_authenticated and actor.has_role(Role.SUPERVISOR) and actor.agency_id is not None and actor.agency.is_supervisory
            and visible_agencies(actor).filter(pk=agency.pk).exists())


@transaction.atomic
def issue_directive(actor, *, agency, kind: str, subject: str, content: str, basis: str, reply_workdays: int = REPLY_WORKDAYS,
                    case=None, clue: Clue | None = None):
    """发出 a numbered 行政执法监督通知书, 督办通知 or 纠错建议书 to an agency, about one of its cases or about the
    agency; its head answers within the working days given."""
    from .models import DIRECTIVE_CODES, Directive, DirectiveKind

    require(may_direct(actor, agency), "只有辖区内监督机关的执法监督人员可以发出监督文书。")
    if agency.is_supervisory:
        raise ValidationError({"agency": "监督文书发给执法主体，不发给监督机关。"})
    if kind not in DirectiveKind.values:
        raise ValidationError({"kind": "文书种类无效。"})
    subject, content, basis = (subject or "").strip(), (content or "").strip(), (basis or "").strip()
    require_plain(subject=subject, content=content, basis=basis)
    errors = {}
    if not subject:
        errors["subject"] = "请填写事由。"
    if len(content) < 10:
        errors["content"] = "请写明发现的问题和整改要求。"
    if not basis:
        errors["basis"] = "请写明依据。"
    if not isinstance(reply_workdays, int) or not 1 <= reply_workdays <= 60:
        errors["reply_workdays"] = "答复期限应为 1 到 60 个工作日。"
    if case is not None and case.agency_id != agency.pk:
        errors["case"] = "案件不属于该执法主体。"
    if clue is not None and clue.agency_id != agency.pk:
        errors["clue"] = "线索不属于该执法主体。"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    issuer = actor.agency
    directive = Directive.objects.create(
        kind=kind, number=numbering.next_number(agency_id=issuer.pk, prefix=issuer.short_name, type_code=DIRECTIVE_CODES[kind], year=today.year),
        issuer_agency=issuer, issued_by=actor, issued_at=timezone.now(), agency=agency, case=case, clue=clue, subject=subject[:300],
        content=content[:10000], basis=basis[:300], reply_workdays=reply_workdays,
        due_date=workdays.add_workdays(today, reply_workdays).date,
    )
    _record("supervision.directive.issued", actor, directive)
    return directive


def may_reply(actor, directive) -> bool:
    return actor.is_authenticated and actor.agency_id == directive.agency_id and actor.has_role(Role.HEAD)


@transaction.atomic
def reply_directive(actor, directive, *, text: str):
    from .models import Directive, DirectiveStatus

    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    require(may_reply(actor, directive), "只有被监督执法主体的负责人可以答复监督文书。")
    if directive.status != DirectiveStatus.ISSUED:
        raise ValidationError("该监督文书不在待答复状态。")
    text = (text or "").strip()
    require_plain(text=text)
    if len(text) < 10:
        raise ValidationError({"text": "请写明整改情况或情况说明。"})
    directive.status, directive.reply, directive.replied_by, directive.replied_at = DirectiveStatus.REPLIED, text[:10000], actor, timezone.now()
    directive.save()
    _record("supervision.directive.replied", actor, directive)
    return directive


@transaction.atomic
def review_directive(actor, directive, *, accept: bool, note: str):
    """The supervisor accepts the reply (办结; a clue it came from is closed with it) or returns it to be answered
    again within the same number of working days."""
    from .models import Directive, DirectiveStatus

    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    require(may_direct(actor, directive.agency), "只有辖区内监督机关的执法监督人员可以审核答复。")
    if directive.status != DirectiveStatus.REPLIED:
        raise ValidationError("该监督文书尚未答复或已办结。")
    note = (note or "").strip()
    require_plain(note=note)
    if not note:
        raise ValidationError({"note": "请写明审核意见。"})
    directive.review_note = note[:500]
    if accept:
        directive.status, directive.closed_by, directive.closed_at = DirectiveStatus.CLOSED, actor, timezone.now()
        directive.save()
        _record("supervision.directive.closed", actor, directive)
        if directive.clue_id and directive.clue.is_open:
            close(actor, directive.clue, note=f"经{directive.number}督办，{note}")
    else:
        directive.status = DirectiveStatus.ISSUED
        directive.due_date = workdays.add_workdays(timezone.localdate(), directive.reply_workdays).date
        directive.save()
        _record("supervision.directive.returned", actor, directive)
    return directive


# ---------------------------------------------------------------- statistics upward (R1.5)

SUBMISSION_FIELDS = "agency year report_sm3 recipients submitted_by".split()
REGIONAL_FIELDS = "authority year data included missing published_by".split()


def same_level_authority(agency):
    """The 司法局 of the agency's own level and region, which receives the report for the same-level government;
    where that level has none in the system, the nearest one above whose region covers the agency."""
    from zhifa.org.models import Agency

    covering = [a for a in Agency.objects.filter(is_supervisory=True, is_active=True).order_by("pk")
                if agency.region_code.startswith(a.jurisdiction_prefix)]
    return max(covering, key=lambda a: len(a.jurisdiction_prefix), default=None)


def may_submit(actor, agency) -> bool:
    from zhifa.core.roles import is_admin_or_head_of

    return is_admin_or_head_of(actor, agency)


@transaction.atomic
def submit_report(actor, agency, year: int):
    """报送: the agency's generated annual report goes to its same-level 司法局 and its superior department."""
    from zhifa.publicity.models import AnnualReport

    from .models import ReportSubmission

    require(may_submit(actor, agency), "只有本机关负责人或系统管理员可以报送统计年报。")
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    if report is None:
        raise ValidationError({"year": f"尚未生成 {year} 年度统计年报，请先生成再报送。"})
    recipients = [a.pk for a in (same_level_authority(agency), agency.parent) if a is not None]
    if not recipients:
        raise ValidationError({"year": "没有可以报送的同级司法行政机关或上级业务主管部门，请系统管理员核对执法主体信息。"})
    row = ReportSubmission.objects.select_for_update().filter(agency=agency, year=year).first() or ReportSubmission(agency=agency, year=year)
    if row.pk and row.report_sm3 == report.pdf_sm3:
        raise ValidationError({"year": "该年报已经报送；年报重新生成后可以再次报送。"})
    row.report_sm3, row.recipients, row.submitted_by, row.submitted_at = report.pdf_sm3, recipients, actor, timezone.now()
    row.save()
    ledger.append("supervision.report.submitted", actor=actor, obj=row, agency_id=agency.pk, data=ledger.snapshot(row, SUBMISSION_FIELDS))
    return row


def _add(total: dict, part: dict) -> None:
    """Sum a report's figures into `total`: counts add up, nested tables add up by key, money adds as decimals."""
    import decimal

    for key, value in part.items():
        if key in ("agency", "year"):
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        elif isinstance(value, str) and key.endswith("_total"):
            total[key] = str(decimal.Decimal(total.get(key, "0")) + decimal.Decimal(value))


@transaction.atomic
def publish_regional_report(actor, year: int):
    """汇总并公布: the supervisor's 司法局 sums the reports submitted by the agencies of its region (each counted once)
    and publishes the region's figures, naming the agencies that did not submit."""
    from zhifa.org.models import Agency
    from zhifa.publicity.models import AnnualReport

    from .models import RegionalReport, ReportSubmission

    authority = actor.agency if actor.is_authenticated else None
    require(actor.has_role(Role.SUPERVISOR) and authority is not None and authority.is_supervisory and authority.level in ("province", "city"),
            "只有设区的市级以上司法行政机关的执法监督人员可以汇总公布本地区统计年报。")
    if not isinstance(year, int) or not 2000 <= year < timezone.localdate().year:
        raise ValidationError({"year": "只能汇总已结束的年度。"})
    agencies = list(Agency.objects.filter(is_active=True, is_supervisory=False, region_code__startswith=authority.jurisdiction_prefix).order_by("pk"))
    submitted = set(ReportSubmission.objects.filter(year=year, agency__in=agencies).values_list("agency_id", flat=True))
    total: dict = {"year": year, "region": authority.region_name}
    for report in AnnualReport.objects.filter(year=year, agency_id__in=submitted).order_by("agency_id"):
        _add(total, report.data)
    row = RegionalReport.objects.select_for_update().filter(authority=authority, year=year).first() or RegionalReport(authority=authority, year=year)
    row.data, row.included = total, sorted(submitted)
    row.missing = [a.pk for a in agencies if a.pk not in submitted]
    row.published_by, row.published_at = actor, timezone.now()
    row.save()
    ledger.append("supervision.report.regional_published", actor=actor, obj=row, agency_id=authority.pk, data=ledger.snapshot(row, REGIONAL_FIELDS))
    return row
