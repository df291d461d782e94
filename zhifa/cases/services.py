"""Every write to cases: opening, moving along the procedure, the proposal, the party's choices, deadlines."""

import datetime
import hmac
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.core import numbering, validation
from zhifa.core.errors import require
from zhifa.core.registry import Registry
from zhifa.core.roles import Role, is_admin, is_head_of
from zhifa.core.text import grams, require_plain
from zhifa.ledger import services as ledger
from zhifa.org.models import Person
from zhifa.procedures.models import ProcedureDefinition

from . import gates
from .models import (
    Case,
    CaseDeadline,
    CaseOfficer,
    CaseSource,
    CaseStatus,
    DeadlinePause,
    HearingThreshold,
    MajorGround,
    MajorMark,
    Party,
    PartyKind,
    PauseKind,
    Payment,
    PaymentArrangement,
    PenaltyKind,
    ProposedOutcome,
    StageEntry,
)

CASE_FIELDS = (
    "number agency procedure title source facts place occurred_on is_continuing act_ended_on discovered_on serious_harm "
    "limitation_note stage status opened_on closed_on is_emergency "
    "proposed_outcome penalty_kinds fine_amount confiscation_amount legal_basis hearing_requested hearing_waived "
    "defence_waived is_major major_reasons notified_proposal"
).split()
PARTY_FIELDS = "kind name id_code legal_representative address phone".split()
# Type code in the case number, per procedure category (DOMAIN.md R6.3).
CASE_NUMBER_CODES = {"penalty": "立", "coercion": "强", "permit": "许", "inspection": "检"}

catalogue_hooks = Registry("cases.catalogue_hooks", "fn(case) -> reasons the case is a major decision; review registers its catalogue.")


def works_on(actor, case: Case) -> bool:
    """Officers assigned to the case, and the agency's heads."""
    if not actor.is_authenticated or actor.agency_id != case.agency_id:
        return False
    return actor.has_role(Role.HEAD) or case.officers.filter(person=actor).exists()


DEADLINE_FIELDS = (
    "code name start_date due_date rule basis provisional party_period end_stage met_on met_by extended_days "
    "extension_reason extended_by excluded_days"
).split()
HISTORY_FIELDS = "stage transition entered_at entered_on by note".split()
MARK_FIELDS = "ground reason marked_by marked_at unmarked_by unmarked_at unmark_reason".split()
PAUSE_FIELDS = "deadline_code kind start_date end_date reason by".split()
PAYMENT_FIELDS = "paid_on amount late_fee receipt_number recorded_by recorded_at".split()
ARRANGEMENT_FIELDS = "kind schedule reason approved_by approved_on".split()
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


RELATIONS = ("parties", "officers", "deadlines", "history", "major_marks", "pauses", "payments", "payment_arrangements")


def case_state(case: Case, related: dict | None = None) -> dict:
    """Everything the case's rows hold: the case itself, its parties, officers, time limits and stage history.
    Every case event carries it whole, so `zhifa ledger verify` names an edit to any of those rows.
    `related`: the rows of each of RELATIONS, when the caller read them in bulk (the verifier)."""

    def rows(name, key):
        return sorted(related[name] if related is not None else getattr(case, name).all(), key=key)

    by_pk = lambda row: row.pk  # noqa: E731
    return {
        **ledger.snapshot(case, CASE_FIELDS),
        "parties": [party_record(p) for p in rows("parties", by_pk)],
        "officers": [[o.person_id, o.is_lead] for o in rows("officers", by_pk)],
        "deadlines": [ledger.snapshot(d, DEADLINE_FIELDS) for d in rows("deadlines", lambda d: d.code)],
        "history": [ledger.snapshot(h, HISTORY_FIELDS) for h in rows("history", by_pk)],
        "major_marks": [ledger.snapshot(m, MARK_FIELDS) for m in rows("major_marks", by_pk)],
        "pauses": [ledger.snapshot(p, PAUSE_FIELDS) for p in rows("pauses", by_pk)],
        "payments": [ledger.snapshot(p, PAYMENT_FIELDS) for p in rows("payments", by_pk)],
        "arrangements": [ledger.snapshot(a, ARRANGEMENT_FIELDS) for a in rows("payment_arrangements", by_pk)],
    }


def _record(kind: str, actor, case: Case, **extra) -> None:
    ledger.append(kind, actor=actor, obj=case, data={**case_state(case), **extra})


def record_event(kind: str, actor, case: Case, **extra) -> None:
    """For the apps above cases (documents, review) whose acts change the case's state (record_act)."""
    _record(kind, actor, Case.objects.get(pk=case.pk), **extra)


def _refresh_major(case: Case) -> None:
    """Major when the catalogue says so (the review app's hook) or someone marked it with a reason."""
    reasons = [reason for hook in catalogue_hooks for reason in hook(case)]
    labels = dict(MajorGround.choices)
    for mark in case.major_marks.filter(unmarked_at__isnull=True):
        reasons.append(f"{labels.get(mark.ground, mark.ground)}（{mark.marked_by.full_name}标记：{mark.reason}）")
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
    is_continuing: bool = False,
    act_ended_on=None,
    discovered_on=None,
    serious_harm: bool = False,
    limitation_note: str = "",
) -> Case:
    """立案 (or 受理 / 检查审批): the case starts at its procedure's first stage. A penalty case is checked
    against the limitation period of 行政处罚法第三十六条 first."""
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
    party_rows = [_party_from(data) for data in parties]
    people = list(officers)
    if actor not in people and actor.has_role(Role.OFFICER):
        people.insert(0, actor)
    if any(not isinstance(p, Person) or p.agency_id != agency.pk for p in people):
        raise ValidationError({"officers": "承办人员必须是本执法主体的人员。"})
    today = timezone.localdate()
    if occurred_on and occurred_on > today:
        raise ValidationError({"occurred_on": "违法行为发生日不能晚于今天。"})
    discovered_on = discovered_on or today
    note = (limitation_note or "").strip()
    require_plain(limitation_note=note)
    if procedure.category == "penalty":
        problem = limitation_problem(occurred_on, is_continuing, act_ended_on, discovered_on, serious_harm, today)
        if problem and not note:
            raise ValidationError({"occurred_on": problem + "如依法仍应立案（如法律另有规定），请写明理由。"})
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
        is_continuing=bool(is_continuing),
        act_ended_on=act_ended_on if is_continuing else None,
        discovered_on=discovered_on,
        serious_harm=bool(serious_harm),
        limitation_note=note[:300],
        number="待分配",
    )
    case.full_clean(exclude=["number"])
    for party in party_rows:
        party.full_clean(exclude=["case"])
    code = CASE_NUMBER_CODES[procedure.category]
    case.number = numbering.next_number(agency_id=agency.pk, prefix=agency.short_name, type_code=code, year=today.year)
    case.save()
    for party in party_rows:
        party.case = case
        party.save()
    case.search_grams = search_text(case, party_rows)
    case.save(update_fields=["search_grams"])
    for i, person in enumerate(dict.fromkeys(people)):
        CaseOfficer.objects.create(case=case, person=person, is_lead=(i == 0))
    problems = gates.stage_requirements(case, case.stage, leaving=False)
    if problems:
        raise ValidationError({"officers": problems})
    _enter(actor, case, case.stage, transition="立案", note="")
    _record("cases.case.opened", actor, case)
    return case


def search_text(case: Case, parties) -> str:
    """What the case list's search index holds: the case number, title and every party's name, as bigrams."""
    return grams(" ".join([case.number, case.title, *(p.name for p in parties)]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def limitation_end(occurred_on, is_continuing, act_ended_on, serious_harm) -> datetime.date | None:
    """The last day on which the act can still be discovered (行政处罚法第三十六条): two years, five where
    life, health, safety or finance were harmed, counted from the act or from the end of a continuing act."""
    start = act_ended_on if is_continuing else occurred_on
    if start is None:
        return None
    return add_years(start, 5 if serious_harm else 2)


def limitation_problem(occurred_on, is_continuing, act_ended_on, discovered_on, serious_harm, today) -> str | None:
    if occurred_on is None:
        return "应当填写违法行为发生日，用于核对追责期限（行政处罚法第三十六条）。"
    if is_continuing:
        if act_ended_on is None:
            return None  # still continuing: the period has not begun
        if act_ended_on < occurred_on or act_ended_on > today:
            return "连续或继续状态的终了日应在违法行为发生日与今天之间。"
    if discovered_on > today or discovered_on < occurred_on:
        return "发现日期应在违法行为发生日与今天之间。"
    end = limitation_end(occurred_on, is_continuing, act_ended_on, serious_harm)
    if discovered_on > end:
        years = "五" if serious_harm else "二"
        return (
            f"违法行为自{'行为终了' if is_continuing else '发生'}之日起{years}年内未被发现（至 {end:%Y年%m月%d日}），"
            f"依照行政处罚法第三十六条不再给予行政处罚。"
        )
    return None


def _acts(spec: dict, key: str) -> list[str]:
    value = spec.get(key) or []
    return [value] if isinstance(value, str) else list(value)


def _applies(case: Case, spec: dict) -> bool:
    if spec.get("only_if") == "emergency" and not case.is_emergency:
        return False
    if spec.get("only_if") == "hearing_right" and not gates.hearing_right_applies(case):
        return False
    if spec.get("only_if") == "fine" and not case.fine_amount:
        return False
    return True


def _compute_due(spec: dict, start: datetime.date, *, extra: int = 0):
    if spec["unit"] == workdays.WD:
        return workdays.add_workdays(start, spec["amount"] + extra, basis=spec["basis"])
    return workdays.add_days(start, spec["amount"] + extra, roll_forward=spec.get("roll_forward", True), basis=spec["basis"])


def _start_deadline(case: Case, spec: dict, day: datetime.date) -> None:
    """Start (or, for a repeated act such as a second 告知书 served, restart) a time limit on `day`."""
    due = _compute_due(spec, day)
    fields = dict(
        name=spec["name"], start_date=day, due_date=due.date, rule=due.rule, basis=spec["basis"], provisional=due.provisional,
        party_period=bool(spec.get("party_period")), end_stage=spec["end"], met_on=None, met_by="", extended_days=0,
        extension_reason="", extended_by=None, excluded_days=0,
    )
    CaseDeadline.objects.update_or_create(case=case, code=spec["code"], defaults=fields)


def _meet(case: Case, codes, day: datetime.date, act: str) -> None:
    case.deadlines.filter(code__in=list(codes), met_on__isnull=True).update(met_on=day, met_by=act)


def _enter(actor, case: Case, stage: str, *, transition: str, note: str) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    StageEntry.objects.create(case=case, stage=stage, transition=transition, entered_at=now, entered_on=today, by=actor, note=note)
    definition = case.definition
    for d in definition.deadlines:
        # A limit with `met_by` is met by the act (a document issued or served, a payment), never by a stage.
        if d["end"] == stage and not d.get("met_by"):
            _meet(case, [d["code"]], today, f"stage:{stage}")
        if d["start"] == stage and not d.get("starts_on") and not case.deadlines.filter(code=d["code"]).exists():
            if _applies(case, d):
                _start_deadline(case, d, today)
    if definition.is_final(stage):
        case.status = CaseStatus.CLOSED
        case.closed_on = today
        record_act(case, "closed", today)


ACT_LABELS = {"issued": "签发", "served": "送达", "paid": "缴清罚款", "closed": "结案", "review": "法制审核", "party": "当事人"}


def act_label(act: str) -> str:
    """An act code as people read it: issued:penalty_decision → 签发《行政处罚决定书》."""
    from zhifa.procedures.document_types import document_name

    kind, _, what = act.partition(":")
    if kind in ("issued", "served"):
        return f"{ACT_LABELS[kind]}《{document_name(what)}》"
    if kind == "stage":
        return f"进入“{what}”环节"
    return {"review:decided": "法制审核意见作出", "party:hearing_requested": "当事人申请听证",
            "party:hearing_waived": "当事人放弃听证"}.get(act, ACT_LABELS.get(kind, act))


def record_act(case: Case, act: str, day: datetime.date) -> None:
    """An act of the case happened on `day` ("issued:<doc>", "served:<doc>", "paid", "closed", "review:decided",
    "party:…"): the time limits it meets are met on that day, and those it starts begin. Callers write the
    case event that records it (the case state carries the deadlines)."""
    for d in case.definition.deadlines:
        if act in _acts(d, "met_by"):
            _meet(case, [d["code"]], day, act)
        if act in _acts(d, "starts_on") and _applies(case, d):
            _start_deadline(case, d, day)


def _recompute(deadline: CaseDeadline, spec: dict) -> None:
    """Due date = the limit from its start, plus an approved extension, plus excluded periods."""
    due = _compute_due(spec, deadline.start_date, extra=deadline.excluded_days)
    rule = due.rule
    if deadline.extended_days:
        ext = spec["extension"]
        extended = (
            workdays.add_workdays(due.date, ext["amount"], basis=ext["basis"]) if ext["unit"] == workdays.WD
            else workdays.add_days(due.date, ext["amount"], roll_forward=False, basis=ext["basis"])
        )
        due, rule = extended, f"{rule}；延长：{extended.rule}"
    if deadline.excluded_days:
        unit = "个工作日" if spec["unit"] == workdays.WD else "日"
        rule += f"（已扣除不计入期限的 {deadline.excluded_days} {unit}）"
    deadline.due_date, deadline.rule, deadline.provisional = due.date, rule[:200], due.provisional


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


SEVERITY = {k: i for i, k in enumerate(PenaltyKind.values)}  # 行政处罚法第九条, lightest first


def heavier_than_notified(case: Case, kinds, fine, confiscation) -> str | None:
    """How a proposal is heavier than what the 告知书 told the party (None: not heavier, or nothing notified)."""
    told = case.notified_proposal or {}
    if not told:
        return None
    labels = dict(PenaltyKind.choices)
    new_kinds = set(kinds) - set(told.get("kinds", []))
    if new_kinds:
        return "增加了处罚种类：" + "、".join(labels[k] for k in sorted(new_kinds, key=SEVERITY.get))
    for amount, key, label in ((fine, "fine", "罚款"), (confiscation, "confiscation", "没收")):
        before = Decimal(told[key]) if told.get(key) else Decimal(0)
        if amount and amount > before:
            return f"{label}金额由已告知的 {before} 元提高到 {amount} 元"
    return None


def notice_covers_proposal(case: Case) -> str | None:
    """For the decision: the proposal is no heavier than the last 告知书 issued (行政处罚法第四十四条)."""
    if case.proposed_outcome != ProposedOutcome.PENALTY or not case.notified_proposal:
        return None
    heavier = heavier_than_notified(case, case.penalty_kinds, case.fine_amount, case.confiscation_amount)
    if heavier:
        return f"拟作出的处罚重于《行政处罚事先告知书》告知的内容（{heavier}），须重新告知当事人后才能作出决定（行政处罚法第四十四条）。"
    return None


@transaction.atomic
def set_proposal(
    actor, case: Case, *, outcome: str, penalty_kinds=(), fine_amount=None, confiscation_amount=None, legal_basis: str = "",
    renotify: bool = False, reason: str = "",
) -> Case:
    """拟处理意见 (调查终结): it decides hearing rights and whether the case is a major decision.

    After 告知 a heavier proposal is refused unless the case office states it will 告知 again (`renotify`, with
    the new facts as reason); the decision then waits for the new 告知书. After the party's 陈述申辩 with no
    further investigation, a heavier proposal is refused outright: the defence never makes it heavier (第四十五条)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以办理本案。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if outcome not in ProposedOutcome.values:
        raise ValidationError({"outcome": "拟处理意见无效。"})
    if not isinstance(penalty_kinds, (list, tuple, set)) or not all(isinstance(k, str) for k in penalty_kinds):
        raise ValidationError({"penalty_kinds": "处罚种类无效。"})
    kinds = sorted(set(penalty_kinds or []), key=lambda k: SEVERITY.get(k, 99))
    if set(kinds) - set(PenaltyKind.values):
        raise ValidationError({"penalty_kinds": "处罚种类无效。"})
    if outcome == ProposedOutcome.PENALTY and not kinds:
        raise ValidationError({"penalty_kinds": "拟给予行政处罚的，应当选择处罚种类。"})
    fine = _decimal(fine_amount, "fine_amount")
    if PenaltyKind.FINE in kinds and not fine:
        raise ValidationError({"fine_amount": "拟处罚款的，应当填写罚款金额。"})
    if fine and PenaltyKind.FINE not in kinds:
        raise ValidationError({"fine_amount": "未选择“罚款”种类，不应填写罚款金额。"})
    if outcome == ProposedOutcome.PENALTY and not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": "应当写明处罚依据（法律、法规、规章的具体条款）。"})
    require_plain(legal_basis=legal_basis or "", reason=reason or "")
    confiscation = _decimal(confiscation_amount, "confiscation_amount") if outcome == ProposedOutcome.PENALTY else None
    fine = fine if outcome == ProposedOutcome.PENALTY else None
    kinds = kinds if outcome == ProposedOutcome.PENALTY else []
    heavier = heavier_than_notified(case, kinds, fine, confiscation) if outcome == ProposedOutcome.PENALTY else None
    if heavier:
        last_notice = case.history.filter(stage="notice").order_by("-pk").first()
        heard = last_notice and case.history.filter(pk__gt=last_notice.pk, stage__in=("statement", "hearing")).exists()
        reinvestigated = last_notice and case.history.filter(pk__gt=last_notice.pk, stage="investigation").exists()
        if heard and not reinvestigated:
            raise ValidationError({"fine_amount": f"当事人陈述、申辩后不得加重处罚（行政处罚法第四十五条）：{heavier}。"})
        if not renotify:
            raise ValidationError({"fine_amount": f"拟作出的处罚重于已告知的内容（{heavier}），须重新告知当事人；确需加重的，请选择“重新告知”并说明理由。"})
        if not (reason or "").strip():
            raise ValidationError({"reason": "重新告知应当说明加重的事实和理由。"})
    case.proposed_outcome = outcome
    case.penalty_kinds = kinds
    case.fine_amount = fine
    case.confiscation_amount = confiscation
    case.legal_basis = (legal_basis or "").strip()
    _refresh_major(case)
    validation.save(case)
    extra = {"renotify": True, "reason": reason.strip()[:300], "heavier": heavier} if heavier else {}
    _record("cases.case.proposal_set", actor, case, **extra)
    return case


def record_notice(actor, case: Case) -> None:
    """The 事先告知书 was issued: what it told the party becomes the ceiling of the decision."""
    case.notified_proposal = {
        "kinds": list(case.penalty_kinds),
        "fine": str(case.fine_amount) if case.fine_amount is not None else "",
        "confiscation": str(case.confiscation_amount) if case.confiscation_amount is not None else "",
        "legal_basis": case.legal_basis,
    }
    # A new 告知 restarts the party's choices about the hearing.
    case.hearing_requested = case.hearing_waived = case.defence_waived = False
    case.save()


@transaction.atomic
def record_party_choice(actor, case: Case, *, choice: str, note: str = "") -> Case:
    """当事人申请听证、放弃听证或明确放弃陈述申辩 (recorded from the party's written statement)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以办理本案。")
    today = timezone.localdate()
    if choice in ("hearing_requested", "hearing_waived"):
        if not gates.hearing_right_applies(case):
            raise ValidationError({"choice": "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条）。"})
        deadline = case.deadlines.filter(code="hearing_request").first()
        if deadline is None:
            raise ValidationError({"choice": "《行政处罚事先告知书》尚未送达当事人，听证申请期限尚未起算。"})
    if choice == "hearing_requested":
        if today > deadline.due_date:
            raise ValidationError({"choice": f"申请听证期限已于 {deadline.due_date:%Y年%m月%d日} 届满（告知书送达后五个工作日，行政处罚法第六十四条）。"})
        case.hearing_requested, case.hearing_waived = True, False
        record_act(case, "party:hearing_requested", today)
    elif choice == "hearing_waived":
        case.hearing_waived, case.hearing_requested = True, False
        record_act(case, "party:hearing_waived", today)
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


def _spec(case: Case, code: str) -> dict | None:
    return next((d for d in case.definition.deadlines if d["code"] == code), None)


@transaction.atomic
def extend_deadline(actor, case: Case, *, code: str, reason: str) -> CaseDeadline:
    """A statutory extension (e.g. 查封扣押 +30 d, 许可 +10 WD, 处罚决定 +30 d), approved by the agency head
    with a reason, once."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(is_head_of(actor, case.agency_id), "延长期限须经机关负责人批准。")
    deadline, spec, reason = _extension_problems(case, code, reason)
    deadline.extended_days = spec["extension"]["amount"]
    deadline.extension_reason = reason[:300]
    deadline.extended_by = actor
    _recompute(deadline, spec)
    deadline.save()
    _record("cases.case.deadline_extended", actor, case, deadline=code, due=deadline.due_date.isoformat(), reason=deadline.extension_reason)
    return deadline


EXTEND_APPROVAL = "cases.extend"


def _extension_problems(case: Case, code: str, reason: str) -> tuple[CaseDeadline | None, dict | None, str]:
    deadline = case.deadlines.filter(code=code).first()
    spec = _spec(case, code)
    if deadline is None or spec is None or not spec.get("extension"):
        raise ValidationError({"code": "该期限不能延长。"})
    if deadline.met_on:
        raise ValidationError({"code": "该期限已经完成，无需延长。"})
    if deadline.extended_days:
        raise ValidationError({"code": "该期限已延长过一次，不能再次延长。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "延长期限应当说明理由。"})
    require_plain(reason=reason)
    return deadline, spec, reason


@transaction.atomic
def request_extension(actor, case: Case, *, code: str, reason: str):
    """The officer asks the head to extend a deadline, with the reason; the head's approval extends it in the
    head's name (extend_deadline)."""
    from zhifa.workflow import approvals

    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员可以申请延长期限。")
    deadline, _, reason = _extension_problems(case, code, reason)
    if approvals.pending_for(EXTEND_APPROVAL, case) is not None:
        raise ValidationError("本案已有延长期限的申请等待机关负责人审批。")
    return approvals.request(
        actor, kind=EXTEND_APPROVAL, subject=case, agency_id=case.agency_id, title=f"延长{deadline.name}（{case.number} {case.title}）",
        link=f"/cases/{case.pk}/", note=reason, params={"code": code, "reason": reason[:300]},
    )


def _extend_on_approval(head, approval) -> None:
    extend_deadline(head, Case.objects.get(pk=approval.subject_id), code=approval.params["code"], reason=approval.params["reason"])


RECUSAL_APPROVAL = "cases.recusal"
RECUSAL_APPLICANTS = {"party": "当事人申请", "officer": "执法人员自行申请", "head": "机关负责人决定"}


def _recusal_people(case: Case, person_id, replacement_id):
    person = case.officers.filter(person_id=person_id).select_related("person").first()
    if person is None:
        raise ValidationError({"person": "该人员不是本案的承办人员。"})
    replacement = None
    if replacement_id:
        replacement = Person.objects.filter(pk=replacement_id, agency_id=case.agency_id, is_active=True).first()
        if replacement is None or case.officers.filter(person=replacement).exists():
            raise ValidationError({"replacement": "接替人员应是本执法主体在岗、且尚未承办本案的人员。"})
    return person, replacement


@transaction.atomic
def request_recusal(actor, case: Case, *, person, reason: str, applicant: str = "party", replacement=None):
    """回避: an officer of the case is to withdraw (the party applied, or the officer himself); the head decides
    (行政处罚法第四十三条), naming who takes over when fewer than two would remain."""
    from zhifa.workflow import approvals

    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员可以提出回避申请。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if applicant not in RECUSAL_APPLICANTS or applicant == "head":
        raise ValidationError({"applicant": "申请人应为当事人或执法人员本人。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明回避的理由（与本案有直接利害关系或者有其他关系可能影响公正执法）。"})
    require_plain(reason=reason)
    officer, replacement = _recusal_people(case, getattr(person, "pk", person), getattr(replacement, "pk", replacement))
    if approvals.pending_for(RECUSAL_APPROVAL, case) is not None:
        raise ValidationError("本案已有回避申请等待机关负责人决定。")
    return approvals.request(
        actor, kind=RECUSAL_APPROVAL, subject=case, agency_id=case.agency_id, title=f"{officer.person.full_name}回避（{case.number} {case.title}）",
        link=f"/cases/{case.pk}/", note=f"{RECUSAL_APPLICANTS[applicant]}：{reason}",
        params={"person": officer.person_id, "replacement": replacement.pk if replacement else None, "reason": reason[:300], "applicant": applicant},
    )


@transaction.atomic
def recuse_officer(actor, case: Case, *, person, reason: str, applicant: str = "head", replacement=None) -> Case:
    """The head's decision that an officer withdraws from the case, with who takes over; the case must still have
    what its stage requires (two certified officers)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(is_head_of(actor, case.agency_id), "执法人员的回避由机关负责人决定。")
    officer, replacement = _recusal_people(case, getattr(person, "pk", person), getattr(replacement, "pk", replacement))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明回避的理由。"})
    was_lead = officer.is_lead
    officer.delete()
    if replacement is not None:
        CaseOfficer.objects.create(case=case, person=replacement, is_lead=was_lead)
    elif was_lead and (first := case.officers.order_by("pk").first()):
        first.is_lead = True
        first.save(update_fields=["is_lead"])
    problems = gates.stage_requirements(case, case.stage, leaving=False)
    if problems:
        raise ValidationError({"replacement": ["回避后本案不符合办案要求，请指定接替的执法人员："] + problems})
    _record("cases.case.officer_recused", actor, case, person=officer.person_id, replacement=replacement.pk if replacement else None,
            reason=reason[:300], applicant=applicant)
    return case


def _recuse_on_approval(head, approval) -> None:
    p = approval.params
    recuse_officer(head, Case.objects.get(pk=approval.subject_id), person=p["person"], reason=p["reason"], applicant=p["applicant"],
                   replacement=p.get("replacement"))


def _workdays_between(start: datetime.date, end: datetime.date) -> int:
    day, count = start, 0
    while day <= end:
        count += workdays.is_workday(day)
        day += datetime.timedelta(days=1)
    return count


@transaction.atomic
def pause_deadline(actor, case: Case, *, code: str, kind: str, start_date, reason: str) -> DeadlinePause:
    """An excluded period begins (听证, 公告, 检测, 检验, 鉴定 … 行政处罚法第六十条, 行政许可法第四十五条)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以登记不计入期限的期间。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    deadline = case.deadlines.filter(code=code).first()
    spec = _spec(case, code)
    if deadline is None or spec is None or not spec.get("exclusions"):
        raise ValidationError({"code": "该期限没有依法不计入的期间。"})
    if deadline.met_on:
        raise ValidationError({"code": "该期限已经完成。"})
    if kind not in spec["exclusions"]:
        allowed = "、".join(dict(PauseKind.choices)[k] for k in spec["exclusions"])
        raise ValidationError({"kind": f"该期限只有以下期间可以不计入：{allowed}。"})
    if case.pauses.filter(deadline_code=code, end_date__isnull=True).exists():
        raise ValidationError({"kind": "已有尚未结束的不计入期间，请先登记其结束日期。"})
    today = timezone.localdate()
    if start_date is None or start_date > today or start_date < deadline.start_date:
        raise ValidationError({"start_date": "起始日应在期限起算日与今天之间。"})
    last = case.pauses.filter(deadline_code=code).order_by("-end_date").first()
    if last and last.end_date and start_date <= last.end_date:
        raise ValidationError({"start_date": "不计入的期间不能与已登记的期间重叠。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "应当说明事由（如鉴定机构、检测项目）。"})
    require_plain(reason=reason)
    pause = DeadlinePause.objects.create(case=case, deadline_code=code, kind=kind, start_date=start_date, reason=reason[:300], by=actor)
    _record("cases.case.deadline_paused", actor, case, deadline=code, pause=kind, start=start_date.isoformat())
    return pause


@transaction.atomic
def resume_deadline(actor, case: Case, *, code: str, end_date) -> CaseDeadline:
    """The excluded period ends: its days (working days for a working-day limit) move the due date."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以登记不计入期限的期间。")
    pause = case.pauses.filter(deadline_code=code, end_date__isnull=True).first()
    if pause is None:
        raise ValidationError({"code": "该期限没有正在进行的不计入期间。"})
    today = timezone.localdate()
    if end_date is None or end_date > today or end_date < pause.start_date:
        raise ValidationError({"end_date": "终止日应在起始日与今天之间。"})
    pause.end_date = end_date
    pause.save()
    deadline = case.deadlines.get(code=code)
    spec = _spec(case, code)
    deadline.excluded_days = sum(
        (_workdays_between(p.start_date, p.end_date) if spec["unit"] == workdays.WD else p.days)
        for p in case.pauses.filter(deadline_code=code, end_date__isnull=False)
    )
    _recompute(deadline, spec)
    deadline.save()
    _record("cases.case.deadline_resumed", actor, case, deadline=code, end=end_date.isoformat(), due=deadline.due_date.isoformat())
    return deadline


# --- marking a case major by hand (DOMAIN.md R3.1) --------------------------------------------------


def may_mark_major(actor, case: Case) -> bool:
    """The case's officers, the agency's heads and its legal reviewers."""
    return works_on(actor, case) or bool(
        actor.is_authenticated and actor.agency_id == case.agency_id and actor.has_role(Role.REVIEWER)
    )


@transaction.atomic
def mark_major(actor, case: Case, *, ground: str, reason: str) -> MajorMark:
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(may_mark_major(actor, case), "只有本案承办人员、机关负责人或法制审核人员可以标记重大执法决定。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if ground not in MajorGround.values:
        raise ValidationError({"ground": "请选择列入重大执法决定的情形。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "应当写明标记为重大执法决定的理由。"})
    require_plain(reason=reason)
    if case.major_marks.filter(ground=ground, unmarked_at__isnull=True).exists():
        raise ValidationError({"ground": "该案已按此情形标记为重大执法决定。"})
    mark = MajorMark.objects.create(case=case, ground=ground, reason=reason[:500], marked_by=actor, marked_at=timezone.now())
    _refresh_major(case)
    case.save()
    _record("cases.case.major_marked", actor, case, ground=ground, reason=mark.reason)
    return mark


@transaction.atomic
def unmark_major(actor, case: Case, *, mark_id: int, reason: str) -> MajorMark:
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(
        is_head_of(actor, case.agency_id),
        "取消重大执法决定标记须由机关负责人决定。",
    )
    mark = case.major_marks.filter(pk=mark_id, unmarked_at__isnull=True).first()
    if mark is None:
        raise ValidationError({"mark": "没有这项有效的标记。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "取消标记应当说明理由。"})
    require_plain(reason=reason)
    mark.unmarked_by, mark.unmarked_at, mark.unmark_reason = actor, timezone.now(), reason[:500]
    mark.save()
    _refresh_major(case)
    case.save()
    _record("cases.case.major_unmarked", actor, case, ground=mark.ground, reason=mark.unmark_reason)
    return mark


# --- parties ----------------------------------------------------------------------------------------


def _party_from(data: dict) -> Party:
    if not isinstance(data, dict):
        raise ValidationError({"parties": "当事人信息格式不正确。"})
    unknown = set(data) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError({"parties": f"当事人信息没有这些栏目：{'、'.join(sorted(map(str, unknown)))}。"})
    values = {}
    for key, value in data.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError({"parties": "当事人信息必须是文字。"})
        values[key] = (value or "").strip()
    require_plain(**{f"party_{k}": v for k, v in values.items()})
    return Party(**values)


@transaction.atomic
def add_party(actor, case: Case, data: dict) -> Party:
    """A further party found in the investigation (共同违法, 两个以上当事人). Not after the 告知: the new party
    would not have been told (行政处罚法第四十四条) — 补充调查 first."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以登记当事人。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if case.documents.filter(doc_type__in=("penalty_notice", "penalty_decision", "no_penalty_decision"), status="issued").exists() and case.stage not in ("investigation", "investigation_end"):
        raise ValidationError({"parties": "已经告知或作出决定的案件，应先退回补充调查，再追加当事人。"})
    party = _party_from(data)
    party.case = case
    party.full_clean()
    if any(p.id_code == party.id_code for p in case.parties.filter(name=party.name)):  # id_code is encrypted
        raise ValidationError({"parties": "该当事人已登记。"})
    party.save()
    _refresh_major(case)
    case.search_grams = search_text(case, case.parties.all())
    case.save()
    _record("cases.case.party_added", actor, case, party=party.name)
    return party


# --- payment of the fine (行政处罚法第六十六条至第七十二条) -------------------------------------------

LATE_FEE_RATE = Decimal("0.03")


def payment_schedule(case: Case) -> list[tuple[datetime.date, Decimal]]:
    """When what is due: the head-approved deferral or instalments, otherwise the whole fine on the day
    the payment period ends (15 days from receipt of the decision)."""
    arrangement = case.payment_arrangements.order_by("-approved_on", "-pk").first()
    if arrangement:
        return [(datetime.date.fromisoformat(d), Decimal(a)) for d, a in arrangement.schedule]
    deadline = case.deadlines.filter(code="payment").first()
    if deadline is None or not case.fine_amount:
        return []
    return [(deadline.due_date, case.fine_amount)]


def late_fee(case: Case, on: datetime.date) -> Decimal:
    """加处罚款 (第七十二条): 3 % of each overdue amount per day after its due date, as of `on`; payments are
    applied to the earliest instalment first; never more than the fine."""
    if not case.fine_amount:
        return Decimal("0.00")
    # What each payment paid of the fine (its surcharge share aside), oldest first, consumed instalment by instalment.
    queue = sorted([p.paid_on, p.amount - p.late_fee] for p in case.payments.all())
    fee = Decimal(0)
    for due, amount in payment_schedule(case):
        remaining, settled_on = amount, None
        while remaining > 0 and queue:
            take = min(queue[0][1], remaining)
            remaining -= take
            queue[0][1] -= take
            if remaining <= 0:
                settled_on = queue[0][0]
            if queue[0][1] <= 0:
                queue.pop(0)
        days = ((min(settled_on, on) if settled_on else on) - due).days
        if days > 0:
            fee += amount * LATE_FEE_RATE * days
    return min(fee, case.fine_amount).quantize(Decimal("0.01"))


def amount_outstanding(case: Case, on: datetime.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    if not case.fine_amount:
        return Decimal("0.00")
    paid = sum((p.amount for p in case.payments.all()), Decimal(0))
    return max(case.fine_amount + late_fee(case, on) - paid, Decimal(0)).quantize(Decimal("0.01"))


@transaction.atomic
def record_payment(actor, case: Case, *, paid_on, amount, receipt_number: str) -> Payment:
    """A payment at the bank, with its 罚缴分离 receipt number. The late fee due that day is taken first."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以登记缴款。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if not case.fine_amount:
        raise ValidationError("本案没有罚款。")
    decision = case.documents.filter(doc_type__in=("penalty_decision", "onsite_penalty_decision"), status="issued").order_by("-issued_on").first()
    if decision is None:
        raise ValidationError("行政处罚决定书尚未签发，不能登记缴款。")
    today = timezone.localdate()
    if paid_on is None or paid_on > today or paid_on < decision.issued_on:
        raise ValidationError({"paid_on": "缴款日期应在决定书签发日与今天之间。"})
    value = _decimal(amount, "amount")
    if not value or value <= 0:
        raise ValidationError({"amount": "缴款金额应大于零。"})
    receipt = (receipt_number or "").strip()
    if not receipt:
        raise ValidationError({"receipt_number": "应当填写缴款凭证号（罚缴分离，行政处罚法第六十七条）。"})
    require_plain(receipt_number=receipt)
    if Payment.objects.filter(receipt_number=receipt).exists():
        raise ValidationError({"receipt_number": "该缴款凭证号已登记。"})
    owed = amount_outstanding(case, paid_on)
    if value > owed:
        raise ValidationError({"amount": f"缴款金额超过应缴金额（截至该日应缴 {owed} 元，含加处罚款）。"})
    # A payment settles the fine first, then the surcharge (the surcharge stops growing once the fine is paid).
    principal_paid = sum((p.amount - p.late_fee for p in case.payments.all()), Decimal(0))
    fee_part = max(value - max(case.fine_amount - principal_paid, Decimal(0)), Decimal(0))
    payment = Payment.objects.create(
        case=case, paid_on=paid_on, amount=value, late_fee=fee_part, receipt_number=receipt[:60], recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if amount_outstanding(case, paid_on) == 0:
        record_act(case, "paid", paid_on)
    _record("cases.case.payment_recorded", actor, case, receipt=payment.receipt_number, amount=str(value), late_fee=str(fee_part))
    return payment


@transaction.atomic
def approve_payment_arrangement(actor, case: Case, *, kind: str, schedule, reason: str) -> PaymentArrangement:
    """暂缓或者分期缴纳 on the party's application, approved by the head (第六十六条)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(
        is_head_of(actor, case.agency_id),
        "延期或者分期缴纳罚款须经机关负责人批准（行政处罚法第六十六条）。",
    )
    if not case.fine_amount or not case.documents.filter(doc_type="penalty_decision", status="issued").exists():
        raise ValidationError("只有已作出罚款决定的案件可以延期或分期缴纳。")
    if kind not in PaymentArrangement.Kind.values:
        raise ValidationError({"kind": "方式应为延期缴纳或分期缴纳。"})
    if not isinstance(schedule, (list, tuple)) or not schedule or len(schedule) > 36:
        raise ValidationError({"schedule": "缴纳安排应列明各期的日期和金额（不超过 36 期）。"})
    rows, today = [], timezone.localdate()
    for item in schedule:
        try:
            day, value = item
            day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))
        except (TypeError, ValueError):
            raise ValidationError({"schedule": "缴纳安排格式不正确：每一期应为日期和金额。"})
        value = _decimal(value, "schedule")
        if not value or value <= 0 or day < today or day > add_years(today, 3):
            raise ValidationError({"schedule": "每期金额应大于零，日期应在今天之后三年以内。"})
        rows.append((day, value))
    rows.sort()
    if kind == PaymentArrangement.Kind.DEFERRAL and len(rows) != 1:
        raise ValidationError({"schedule": "延期缴纳只有一个缴纳日期。"})
    if sum(v for _, v in rows) != case.fine_amount:
        raise ValidationError({"schedule": f"各期金额合计应等于罚款金额 {case.fine_amount} 元。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "应当写明当事人确有经济困难等理由。"})
    require_plain(reason=reason)
    arrangement = PaymentArrangement.objects.create(
        case=case, kind=kind, schedule=[[d.isoformat(), str(v)] for d, v in rows], reason=reason[:300], approved_by=actor,
        approved_on=today,
    )
    payment = case.deadlines.filter(code="payment").first()
    if payment:
        payment.due_date = rows[-1][0]
        payment.rule = f"经机关负责人批准{arrangement.get_kind_display()}，最后一期 {rows[-1][0]:%Y年%m月%d日}（行政处罚法第六十六条）"
        payment.save()
    _record("cases.case.payment_arranged", actor, case, arrangement=kind, schedule=arrangement.schedule)
    return arrangement


# --- 较大数额 thresholds (行政处罚法第六十三条; DOMAIN.md R4.4) -----------------------------------------

THRESHOLD_FIELDS = "sector region_prefix party_kind fine_amount confiscation_amount basis".split()


@transaction.atomic
def save_threshold(actor, *, party_kind: str, fine_amount, basis: str, region_prefix: str = "", sector: str = "",
                   confiscation_amount=None) -> HearingThreshold:
    """Set (or replace) the 较大数额 for a region, sector and party type, as a province or sector has fixed it."""
    require(is_admin(actor), "只有系统管理员可以维护听证较大数额标准。")
    if party_kind not in PartyKind.values:
        raise ValidationError({"party_kind": "当事人类型无效。"})
    region_prefix, sector, basis = (region_prefix or "").strip(), (sector or "").strip(), (basis or "").strip()
    if region_prefix and not (region_prefix.isascii() and region_prefix.isdigit() and len(region_prefix) in (2, 4, 6)):
        raise ValidationError({"region_prefix": "行政区划代码前缀应为 2、4 或 6 位数字（省、市、县）。"})
    if not basis:
        raise ValidationError({"basis": "应当写明该标准的依据（省级或部门规定的文号、条款）。"})
    require_plain(sector=sector, basis=basis)
    fine = _decimal(fine_amount, "fine_amount")
    if not fine or fine <= 0:
        raise ValidationError({"fine_amount": "较大数额应大于零。"})
    confiscation = _decimal(confiscation_amount, "confiscation_amount")
    row, created = HearingThreshold.objects.update_or_create(
        sector=sector, region_prefix=region_prefix, party_kind=party_kind,
        defaults={"fine_amount": fine, "confiscation_amount": confiscation, "basis": basis[:300]},
    )
    ledger.append("cases.threshold.saved", actor=actor, obj=row, data={**ledger.snapshot(row, THRESHOLD_FIELDS), "created": created})
    return row
