"""What must hold before a case moves: the stage's requirements and the transition's named guards.

Documents, recordings and legal review live in apps above cases; they tell the engine what a case
has through providers they register here (in their AppConfig.ready), so the engine never imports them.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from zhifa.procedures.document_types import document_name

from .models import Case, PartyKind, PenaltyKind, ProposedOutcome

_providers: dict[str, callable] = {}


def register_provider(name: str, fn) -> None:
    """name: "documents" fn(case) -> set of issued document type codes;
    "recordings" fn(case, stage) -> number of audio-video records; "review" fn(case) -> (passed, text);
    "review_escalated" fn(case) -> whether the reviewers' disagreement went to 集体讨论."""
    _providers[name] = fn


def issued_documents(case: Case) -> set[str]:
    return _providers["documents"](case) if "documents" in _providers else set()


def recordings(case: Case, stage: str) -> int:
    return _providers["recordings"](case, stage) if "recordings" in _providers else 0


def valid_officers(case: Case, day=None) -> list:
    day = day or timezone.localdate()
    people = []
    for assignment in case.officers.select_related("person").prefetch_related("person__credentials"):
        person = assignment.person
        if person.is_active and not person.is_auxiliary and any(
            c.effective_status(day)[0] == "valid" for c in person.credentials.all()
        ):
            people.append(person)
    return people


def stage_requirements(case: Case, stage_code: str, *, leaving: bool) -> list[str]:
    """Unmet requirements of a stage, in Chinese. Documents and recordings are checked on leaving."""
    stage = case.definition.stage(stage_code)
    problems = []
    need = stage.get("min_officers", 0)
    if need and len(valid_officers(case)) < need:
        problems.append(f"“{stage['name']}”须由不少于 {need} 名持有效执法证件的执法人员承办（行政处罚法第四十二条）。")
    if not leaving:
        return problems
    issued = issued_documents(case)
    for code in stage.get("documents", []):
        if code not in issued:
            problems.append(f"“{stage['name']}”环节尚未制作并签发《{document_name(code)}》。")
    any_of = stage.get("documents_any", [])
    if any_of and not issued & set(any_of):
        names = "》或《".join(document_name(c) for c in any_of)
        problems.append(f"“{stage['name']}”环节至少应制作《{names}》之一。")
    if stage.get("recordings") == "required" and recordings(case, stage_code) == 0:
        problems.append(f"“{stage['name']}”须全程音像记录，尚未登记该环节的音像记录（执法全过程记录制度）。")
    return problems


# --- guards named by transitions --------------------------------------------------------------


def hearing_thresholds(party_kind: str) -> Decimal:
    """较大数额 (行政处罚法第六十三条) is set by each province or sector: ZHIFA_HEARING_THRESHOLDS."""
    return Decimal(str(settings.ZHIFA_HEARING_THRESHOLDS.get(party_kind, settings.ZHIFA_HEARING_THRESHOLDS["organisation"])))


def hearing_right_applies(case: Case) -> bool:
    heavy = {PenaltyKind.QUALIFICATION, PenaltyKind.RESTRICTION}
    if heavy & set(case.penalty_kinds):
        return True
    kinds = {p.kind for p in case.parties.all()} or {PartyKind.ORGANISATION}
    threshold = min(hearing_thresholds(k) for k in kinds)
    amounts = [a for a in (case.fine_amount, case.confiscation_amount) if a is not None]
    return any(a >= threshold for a in amounts)


def _deadline(case: Case, code: str):
    return case.deadlines.filter(code=code).first()


def _visited(case: Case, stage: str) -> bool:
    return case.history.filter(stage=stage).exists()


def _hearing_period_over(case: Case) -> bool:
    if not hearing_right_applies(case) or case.hearing_waived or _visited(case, "hearing"):
        return True
    if case.hearing_requested:
        return False  # requested: the hearing must be held first
    deadline = _deadline(case, "hearing_request")
    return deadline is not None and timezone.localdate() > deadline.due_date


def _review_passed(case: Case) -> tuple[bool, str]:
    if not case.is_major:
        return True, ""
    if "review" not in _providers:
        return False, "该案属于重大执法决定法制审核目录，但法制审核模块未启用。"
    return _providers["review"](case)


def check_guard(case: Case, guard: str) -> str | None:
    """None when the guard holds; otherwise why not, in Chinese."""
    if guard == "defence_heard":
        if not _visited(case, "notice"):
            return "作出处罚决定前应当告知当事人拟作出的处罚内容及事实、理由、依据和权利（行政处罚法第四十四条、第六十二条）。"
        if not (case.defence_waived or _visited(case, "statement") or _visited(case, "hearing")):
            return "尚未听取当事人的陈述、申辩，且当事人未明确放弃（行政处罚法第六十二条）。"
    elif guard == "hearing_right_applies":
        if not hearing_right_applies(case):
            return "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条）。"
    elif guard == "within_hearing_request_period":
        deadline = _deadline(case, "hearing_request")
        if deadline is None or timezone.localdate() > deadline.due_date:
            return "已超过申请听证期限（告知后五个工作日内，行政处罚法第六十四条）。"
        if not case.hearing_requested:
            return "当事人未申请听证。"
    elif guard == "hearing_request_period_over":
        if not _hearing_period_over(case):
            deadline = _deadline(case, "hearing_request")
            until = f"（{deadline.due_date:%Y年%m月%d日}届满）" if deadline else ""
            return f"当事人享有听证权利，申请听证期限尚未届满{until}、当事人未放弃或已申请听证但尚未举行。"
    elif guard == "review_passed_if_required":
        passed, text = _review_passed(case)
        if not passed:
            return text or "该案属于重大执法决定，法制审核未通过前不得作出决定（行政处罚法第五十八条）。"
    elif guard == "review_passed_or_escalated":
        passed, text = _review_passed(case)
        if not passed and not (case.is_major and "review" in _providers and _providers["review_escalated"](case)):
            return text or "该案属于重大执法决定，法制审核未通过前不得提交集体讨论作出决定。"
    elif guard == "no_penalty_proposed":
        if case.proposed_outcome not in (ProposedOutcome.NO_PENALTY, ProposedOutcome.TRANSFER):
            return "调查终结意见不是不予处罚或移送司法机关。"
    elif guard == "simple_procedure_thresholds":
        kinds = set(case.penalty_kinds)
        if kinds - {PenaltyKind.WARNING, PenaltyKind.FINE}:
            return "简易程序只适用于警告或罚款（行政处罚法第五十一条）。"
        limit = Decimal("200") if all(p.kind == PartyKind.CITIZEN for p in case.parties.all()) else Decimal("3000")
        if case.fine_amount and case.fine_amount > limit:
            return f"罚款 {case.fine_amount} 元超过简易程序限额（{limit} 元，行政处罚法第五十一条），应适用普通程序。"
    else:
        return f"未知的流转条件：{guard}"
    return None

