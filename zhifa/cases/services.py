"""Every write to cases: opening, moving along the procedure, the proposal, the party's choices, deadlines."""

import datetime
import hmac
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.core import numbering
from zhifa.core.errors import require
from zhifa.core.roles import Role
from zhifa.core.text import require_plain
from zhifa.ledger import services as ledger
from zhifa.org.models import Person
from zhifa.procedures.models import ProcedureDefinition

from . import gates
from .models import Case, CaseDeadline, CaseOfficer, CaseSource, CaseStatus, Party, PenaltyKind, ProposedOutcome, StageEntry

CASE_FIELDS = (
    "number agency procedure title source facts place occurred_on stage status opened_on closed_on is_emergency "
    "proposed_outcome penalty_kinds fine_amount confiscation_amount legal_basis hearing_requested hearing_waived "
    "defence_waived is_major major_reasons"
).split()
PARTY_FIELDS = "kind name id_code legal_representative address phone".split()
# Type code in the case number, per procedure category (DOMAIN.md R6.3).
CASE_NUMBER_CODES = {"penalty": "立", "coercion": "强", "permit": "许", "inspection": "检"}

_catalogue_hooks = []


def register_catalogue_hook(fn) -> None:
    """fn(case) -> list of reasons the case is a major decision; the review app registers its catalogue."""
    _catalogue_hooks.append(fn)


def works_on(actor, case: Case) -> bool:
    """Officers assigned to the case, and the agency's heads."""
    if not actor.is_authenticated or actor.agency_id != case.agency_id:
        return False
    return actor.has_role(Role.HEAD) or case.officers.filter(person=actor).exists()


DEADLINE_FIELDS = (
    "code name start_date due_date rule basis provisional party_period end_stage met_on extended_days extension_reason"
).split()
HISTORY_FIELDS = "stage transition entered_at entered_on by note".split()
PRIVATE_PARTY_FIELDS = ("id_code", "phone")


def _fingerprint(value: str) -> str:
    """A party's ID number or phone as the permanent ledger keeps it: a keyed SM3 hash (HMAC with the
    installation's secret), so the ledger can tell an edit without holding, or leaking, the number."""
    if not value:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), "sm3").hexdigest()
    return f"hmac-sm3:{digest[:32]}"


def party_record(party: Party) -> dict:
    record = {"id": party.pk, **ledger.snapshot(party, PARTY_FIELDS)}
    for name in PRIVATE_PARTY_FIELDS:
        record[name] = _fingerprint(record[name] or "")
    return record


def case_state(case: Case) -> dict:
    """Everything the case's rows hold: the case itself, its parties, officers, time limits and stage history.
    Every case event carries it whole, so `zhifa ledger verify` names an edit to any of those rows."""
    return {
        **ledger.snapshot(case, CASE_FIELDS),
        "parties": [party_record(p) for p in sorted(case.parties.all(), key=lambda p: p.pk)],
        "officers": [[o.person_id, o.is_lead] for o in sorted(case.officers.all(), key=lambda o: o.pk)],
        "deadlines": [ledger.snapshot(d, DEADLINE_FIELDS) for d in sorted(case.deadlines.all(), key=lambda d: d.code)],
        "history": [ledger.snapshot(h, HISTORY_FIELDS) for h in sorted(case.history.all(), key=lambda h: h.pk)],
    }


def _record(kind: str, actor, case: Case, **extra) -> None:
    ledger.append(kind, actor=actor, obj=case, data={**case_state(case), **extra})


def _refresh_major(case: Case) -> None:
    reasons = [reason for hook in _catalogue_hooks for reason in hook(case)]
    case.is_major = bool(reasons)
    case.major_reasons = reasons


@transaction.atomic
def open_case(
    actor,
    *,
    procedure_code: str,
    title: str,
    source: str,
    parties: list[dict],
    officers: list,
    facts: str = "",
    place: str = "",
    occurred_on=None,
    is_emergency: bool = False,
) -> Case:
    """立案 (or 受理 / 检查审批): the case starts at its procedure's first stage."""
    require(
        actor.is_authenticated and actor.agency_id and (actor.has_role(Role.OFFICER) or actor.has_role(Role.HEAD)),
        "只有执法人员可以立案。",
    )
    procedure = ProcedureDefinition.objects.filter(code=procedure_code).order_by("-version").first()
    if procedure is None:
        raise ValidationError({"procedure_code": "该执法程序尚未发布。"})
    agency = actor.agency
    if source not in CaseSource.values:
        raise ValidationError({"source": "案件来源无效。"})
    if not parties:
        raise ValidationError({"parties": "至少应登记一名当事人。"})
    require_plain(title=title, place=place)
    for party in parties:
        if not isinstance(party, dict):
            raise ValidationError({"parties": "当事人信息格式不正确。"})
        require_plain(parties=party.get("name"))
    people = list(officers)
    if actor not in people and actor.has_role(Role.OFFICER):
        people.insert(0, actor)
    if any(not isinstance(p, Person) or p.agency_id != agency.pk for p in people):
        raise ValidationError({"officers": "承办人员必须是本执法主体的人员。"})
    today = timezone.localdate()
    if occurred_on and occurred_on > today:
        raise ValidationError({"occurred_on": "违法行为发生日不能晚于今天。"})
    case = Case(
        agency=agency,
        procedure=procedure,
        title=(title or "").strip(),
        source=source,
        facts=(facts or "").strip(),
        place=(place or "").strip(),
        occurred_on=occurred_on,
        stage=procedure.procedure.start,
        opened_by=actor,
        opened_on=today,
        is_emergency=bool(is_emergency),
        number="待分配",
    )
    case.full_clean(exclude=["number"])
    party_rows = []
    for data in parties:
        party = Party(**{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in PARTY_FIELDS})
        party.full_clean(exclude=["case"])
        party_rows.append(party)
    code = CASE_NUMBER_CODES[procedure.category]
    case.number = numbering.next_number(agency_id=agency.pk, prefix=agency.short_name, type_code=code, year=today.year)
    case.save()
    for party in party_rows:
        party.case = case
        party.save()
    for i, person in enumerate(dict.fromkeys(people)):
        CaseOfficer.objects.create(case=case, person=person, is_lead=(i == 0))
    problems = gates.stage_requirements(case, case.stage, leaving=False)
    if problems:
        raise ValidationError({"officers": problems})
    _enter(actor, case, case.stage, transition="立案", note="")
    _record("cases.case.opened", actor, case)
    return case


def _enter(actor, case: Case, stage: str, *, transition: str, note: str) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    StageEntry.objects.create(case=case, stage=stage, transition=transition, entered_at=now, entered_on=today, by=actor, note=note)
    definition = case.definition
    for d in definition.deadlines:
        if d["end"] == stage:
            case.deadlines.filter(code=d["code"], met_on__isnull=True).update(met_on=today)
        if d["start"] == stage and not case.deadlines.filter(code=d["code"]).exists():
            if d.get("only_if") == "emergency" and not case.is_emergency:
                continue
            if d.get("only_if") == "hearing_right" and not gates.hearing_right_applies(case):
                continue
            if d["unit"] == workdays.WD:
                due = workdays.add_workdays(today, d["amount"], basis=d["basis"])
            else:
                due = workdays.add_days(today, d["amount"], roll_forward=d.get("roll_forward", True), basis=d["basis"])
            CaseDeadline.objects.create(
                case=case, code=d["code"], name=d["name"], start_date=today, due_date=due.date, rule=due.rule,
                basis=d["basis"], provisional=due.provisional, party_period=bool(d.get("party_period")), end_stage=d["end"],
            )
    if definition.is_final(stage):
        case.status = CaseStatus.CLOSED
        case.closed_on = today


@transaction.atomic
def move_case(actor, case: Case, *, to: str, note: str = "") -> Case:
    """Move along an allowed transition, after every requirement and guard holds."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以办理本案。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案，不能再流转。")
    transition = case.definition.transition(case.stage, to)
    if transition is None:
        allowed = "、".join(case.definition.stage_name(t["to"]) for t in case.definition.transitions_from(case.stage))
        raise ValidationError({"to": f"程序不允许从“{case.stage_name}”转到“{case.definition.stage_name(to)}”。可以转到：{allowed or '无'}。"})
    problems = blockers(case, transition)
    if problems:
        raise ValidationError({"to": problems})
    previous = case.stage
    case.stage = to
    _enter(actor, case, to, transition=transition["name"], note=(note or "").strip()[:500])
    case.save()
    _record("cases.case.moved", actor, case, **{"from": previous, "to": to, "transition": transition["name"]})
    return case


def blockers(case: Case, transition: dict) -> list[str]:
    """Why the case cannot take `transition` now (empty: it can). Pages show these before anyone tries."""
    problems = gates.stage_requirements(case, case.stage, leaving=True)
    problems += gates.stage_requirements(case, transition["to"], leaving=False)
    return problems + [p for p in (gates.check_guard(case, g) for g in transition.get("guards", [])) if p]


def next_steps(case: Case) -> list[dict]:
    """Each transition out of the current stage, with the target's name and what still blocks it."""
    if case.status == CaseStatus.CLOSED:
        return []
    return [
        {**t, "to_name": case.definition.stage_name(t["to"]), "blockers": blockers(case, t)}
        for t in case.definition.transitions_from(case.stage)
    ]


def _decimal(value, field):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "金额格式无效。"})
    if amount < 0 or amount > Decimal("1e12"):
        raise ValidationError({field: "金额超出范围。"})
    return amount


@transaction.atomic
def set_proposal(actor, case: Case, *, outcome: str, penalty_kinds=(), fine_amount=None, confiscation_amount=None, legal_basis: str = "") -> Case:
    """拟处理意见 (调查终结): it decides hearing rights and whether the case is a major decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以办理本案。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if outcome not in ProposedOutcome.values:
        raise ValidationError({"outcome": "拟处理意见无效。"})
    kinds = sorted(set(penalty_kinds or []))
    if set(kinds) - set(PenaltyKind.values):
        raise ValidationError({"penalty_kinds": "处罚种类无效。"})
    if outcome == ProposedOutcome.PENALTY and not kinds:
        raise ValidationError({"penalty_kinds": "拟给予行政处罚的，应当选择处罚种类。"})
    fine = _decimal(fine_amount, "fine_amount")
    if PenaltyKind.FINE in kinds and not fine:
        raise ValidationError({"fine_amount": "拟处罚款的，应当填写罚款金额。"})
    if outcome == ProposedOutcome.PENALTY and not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": "应当写明处罚依据（法律、法规、规章的具体条款）。"})
    case.proposed_outcome = outcome
    case.penalty_kinds = kinds if outcome == ProposedOutcome.PENALTY else []
    case.fine_amount = fine if outcome == ProposedOutcome.PENALTY else None
    case.confiscation_amount = _decimal(confiscation_amount, "confiscation_amount") if outcome == ProposedOutcome.PENALTY else None
    case.legal_basis = (legal_basis or "").strip()
    _refresh_major(case)
    case.full_clean()
    case.save()
    _record("cases.case.proposal_set", actor, case)
    return case


@transaction.atomic
def record_party_choice(actor, case: Case, *, choice: str, note: str = "") -> Case:
    """当事人申请听证、放弃听证或明确放弃陈述申辩 (recorded from the party's written statement)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以办理本案。")
    if choice == "hearing_requested":
        deadline = case.deadlines.filter(code="hearing_request").first()
        if deadline is None:
            raise ValidationError({"choice": "尚未告知当事人听证权利。"})
        if timezone.localdate() > deadline.due_date:
            raise ValidationError({"choice": f"申请听证期限已于 {deadline.due_date:%Y年%m月%d日} 届满（行政处罚法第六十四条）。"})
        if not gates.hearing_right_applies(case):
            raise ValidationError({"choice": "拟作出的处罚不属于听证范围。"})
        case.hearing_requested, case.hearing_waived = True, False
    elif choice == "hearing_waived":
        case.hearing_waived, case.hearing_requested = True, False
    elif choice == "defence_waived":
        if not case.history.filter(stage="notice").exists():
            raise ValidationError({"choice": "尚未告知，当事人无从放弃陈述申辩。"})
        case.defence_waived = True
    else:
        raise ValidationError({"choice": "当事人选择无效。"})
    _refresh_major(case)
    case.save()
    _record("cases.case.party_choice", actor, case, choice=choice, note=(note or "").strip()[:300])
    return case


@transaction.atomic
def extend_deadline(actor, case: Case, *, code: str, reason: str) -> CaseDeadline:
    """A statutory extension (e.g. 查封扣押 +30 d, 许可 +10 WD), approved by the agency head."""
    require(actor.is_authenticated and actor.agency_id == case.agency_id and actor.has_role(Role.HEAD), "延长期限须经机关负责人批准。")
    deadline = case.deadlines.filter(code=code).first()
    spec = next((d for d in case.definition.deadlines if d["code"] == code), None)
    if deadline is None or spec is None or not spec.get("extension"):
        raise ValidationError({"code": "该期限不能延长。"})
    if deadline.extended_days:
        raise ValidationError({"code": "该期限已延长过一次，不能再次延长。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "延长期限应当说明理由。"})
    ext = spec["extension"]
    if ext["unit"] == workdays.WD:
        due = workdays.add_workdays(deadline.due_date, ext["amount"], basis=ext["basis"])
    else:
        due = workdays.add_days(deadline.due_date, ext["amount"], roll_forward=False, basis=ext["basis"])
    deadline.due_date = due.date
    deadline.extended_days = ext["amount"]
    deadline.extension_reason = reason.strip()[:300]
    deadline.rule += f"；延长：{due.rule}"
    deadline.save()
    _record("cases.case.deadline_extended", actor, case, deadline=code, due=deadline.due_date.isoformat(), reason=deadline.extension_reason)
    return deadline


def overdue(deadlines, today: datetime.date | None = None):
    """Agency deadlines past due and not met (party periods are the party's, not overdue work)."""
    today = today or timezone.localdate()
    return deadlines.filter(met_on__isnull=True, party_period=False, due_date__lt=today, case__status=CaseStatus.OPEN)


def due_soon(deadlines, days: int = 3, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return deadlines.filter(
        met_on__isnull=True, party_period=False, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days),
        case__status=CaseStatus.OPEN,
    )


