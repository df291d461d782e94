"""What must hold before a case moves: the stage's requirements and the transition's named guards.

Documents, recordings and legal review live in apps above cases; they tell the engine what a case
has through providers they register here (in their AppConfig.ready), so the engine never imports them.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from zhifa.core.registry import Registry
from zhifa.procedures.document_types import document_name

from .models import Case, PartyKind, PenaltyKind, ProposedOutcome

providers = Registry(
    "cases.providers",
    """Facts about a case that apps above cases know, registered under these keys:
    "documents" fn(case) -> set of issued document type codes; "served" fn(case, doc_types) -> the date
    the latest of those documents reached the party, or None; "unsigned" fn(case) -> issued types still awaiting
    the party's signature; "recordings" fn(case, stage) -> number of audio-video records; "review" fn(case) ->
    (passed, text); "review_escalated" fn(case) -> whether the reviewers' disagreement went to 集体讨论.""",
)


def issued_documents(case: Case) -> set[str]:
    return providers.get("documents")(case) if "documents" in providers else set()


def served_on(case: Case, *doc_types: str):
    return providers.get("served")(case, doc_types) if "served" in providers else None


def unsigned_documents(case: Case) -> set[str]:
    return providers.get("unsigned")(case) if "unsigned" in providers else set()


def recordings(case: Case, stage: str) -> int:
    return providers.get("recordings")(case, stage) if "recordings" in providers else 0


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
    unsigned = unsigned_documents(case)
    for code in stage.get("documents", []):
        if code in unsigned:
            problems.append(f"《{document_name(code)}》已签发，尚未登记当事人签名情况（签名、注明拒签或见证人签名）。")
        elif code not in issued:
            problems.append(f"“{stage['name']}”环节尚未制作并签发《{document_name(code)}》。")
    any_of = stage.get("documents_any", [])
    if any_of and not issued & set(any_of):
        names = "》或《".join(document_name(c) for c in any_of)
        if unsigned & set(any_of):
            problems.append(f"《{names}》已签发，尚未登记当事人签名情况。")
        else:
            problems.append(f"“{stage['name']}”环节至少应制作《{names}》之一。")
    served_any = [c for c in stage.get("served_any", []) if c in issued]
    if stage.get("served_any") and served_on(case, *stage["served_any"]) is None:
        names = "》或《".join(document_name(c) for c in (served_any or stage["served_any"]))
        problems.append(f"《{names}》尚未登记送达（送达方式和日期）。")
    if stage.get("recordings") == "required" and recordings(case, stage_code) == 0:
        problems.append(f"“{stage['name']}”须全程音像记录，尚未登记该环节的音像记录（执法全过程记录制度）。")
    return problems


# --- guards named by transitions --------------------------------------------------------------


def hearing_threshold(case: Case, party_kind: str):
    """较大数额 (行政处罚法第六十三条) for this agency's region and sector and the party's type (DOMAIN.md R4.4):
    the row with the longest region prefix of the agency's region code, a sector row before an all-sector one;
    ZHIFA_HEARING_THRESHOLDS when no row applies. Returns (fine, confiscation, basis)."""
    from .models import HearingThreshold

    region = case.agency.region_code
    prefixes = [region[:n] for n in range(len(region), 0, -1)] + [""]
    rows = HearingThreshold.objects.filter(party_kind=party_kind, region_prefix__in=prefixes, sector__in=[case.agency.sector, ""])
    best = sorted(rows, key=lambda r: (-len(r.region_prefix), r.sector == ""))
    if best:
        row = best[0]
        return row.fine_amount, row.confiscation_amount or row.fine_amount, row.basis
    default = settings.ZHIFA_HEARING_THRESHOLDS
    amount = Decimal(str(default.get(party_kind, default["organisation"])))
    return amount, amount, "系统默认标准（未配置本地区、本领域的较大数额标准）"


def hearing_right_applies(case: Case) -> bool:
    """第六十三条: 较大数额罚款, 没收较大数额违法所得或较大价值非法财物, 降低资质等级、吊销许可证件,
    责令停产停业、责令关闭、限制从业, and other heavy penalties."""
    if case.proposed_outcome and case.proposed_outcome != ProposedOutcome.PENALTY:
        return False
    heavy = {PenaltyKind.QUALIFICATION, PenaltyKind.RESTRICTION, PenaltyKind.DETENTION}
    if heavy & set(case.penalty_kinds):
        return True
    kinds = {p.kind for p in case.parties.all()} or {PartyKind.ORGANISATION}
    for kind in kinds:
        fine_limit, confiscation_limit, _ = hearing_threshold(case, kind)
        if case.fine_amount is not None and case.fine_amount >= fine_limit:
            return True
        if case.confiscation_amount is not None and case.confiscation_amount >= confiscation_limit:
            return True
    return False


def _deadline(case: Case, code: str):
    return case.deadlines.filter(code=code).first()


def _visited(case: Case, stage: str) -> bool:
    return case.history.filter(stage=stage).exists()


def _hearing_period_over(case: Case) -> bool:
    if not hearing_right_applies(case) or case.hearing_waived or _visited(case, "hearing"):
        return True
    if case.hearing_requested:
        return False  # requested: the hearing must be held first
    deadline = _deadline(case, "hearing_request")  # starts when the 告知书 is served
    return deadline is not None and timezone.localdate() > deadline.due_date


def _review_passed(case: Case) -> tuple[bool, str]:
    if not case.is_major:
        return True, ""
    if "review" not in providers:
        return False, "该案属于重大执法决定法制审核目录，但法制审核模块未启用。"
    return providers.get("review")(case)


def check_guard(case: Case, guard: str) -> str | None:
    """None when the guard holds; otherwise why not, in Chinese."""
    if guard == "defence_heard":
        if case.proposed_outcome != ProposedOutcome.PENALTY:
            return None  # 不予处罚 or 移送: nothing adverse to be heard on
        if not _visited(case, "notice") or "penalty_notice" not in issued_documents(case):
            return "作出处罚决定前应当告知当事人拟作出的处罚内容及事实、理由、依据和权利（行政处罚法第四十四条、第六十二条）。"
        if served_on(case, "penalty_notice") is None:
            return "《行政处罚事先告知书》尚未送达当事人，不能作出处罚决定（行政处罚法第四十四条、第六十二条）。"
        if not (case.defence_waived or _visited(case, "statement") or _visited(case, "hearing")):
            return "尚未听取当事人的陈述、申辩，且当事人未明确放弃（行政处罚法第六十二条）。"
        from .services import notice_covers_proposal

        return notice_covers_proposal(case)
    elif guard == "hearing_right_applies":
        if not hearing_right_applies(case):
            return "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条）。"
    elif guard == "within_hearing_request_period":
        if not hearing_right_applies(case):
            return "拟作出的处罚不属于应当告知听证权利的情形（行政处罚法第六十三条），无需听证。"
        deadline = _deadline(case, "hearing_request")
        if deadline is None:
            return "《行政处罚事先告知书》尚未送达，听证申请期限尚未起算。"
        if not case.hearing_requested:
            if timezone.localdate() > deadline.due_date:
                return f"申请听证期限已于 {deadline.due_date:%Y年%m月%d日} 届满（告知书送达后五个工作日，行政处罚法第六十四条），当事人未申请听证。"
            return "当事人尚未申请听证。"
    elif guard == "hearing_request_period_over":
        if not _hearing_period_over(case):
            deadline = _deadline(case, "hearing_request")
            if case.hearing_requested:
                return "当事人已申请听证，应当先组织听证（行政处罚法第六十四条）。"
            if deadline is None:
                return "当事人享有听证权利，《行政处罚事先告知书》尚未送达，听证申请期限尚未起算。"
            return f"当事人享有听证权利，申请听证期限至 {deadline.due_date:%Y年%m月%d日} 届满，当事人尚未放弃。"
    elif guard == "review_passed_if_required":
        passed, text = _review_passed(case)
        if not passed:
            return text or "该案属于重大执法决定，法制审核未通过前不得作出决定（行政处罚法第五十八条）。"
    elif guard == "review_passed_or_escalated":
        passed, text = _review_passed(case)
        if not passed and not (case.is_major and "review" in providers and providers.get("review_escalated")(case)):
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
    elif guard == "fine_settled":
        return _fine_settled(case)
    else:
        return f"程序定义中有未实现的流转条件（{guard}），请联系系统管理员。"
    return None


def _fine_settled(case: Case) -> str | None:
    """结案 of a fine: paid in full with its receipt (罚缴分离), or the enforcement step taken (第七十二条)."""
    if not case.fine_amount or PenaltyKind.FINE not in case.penalty_kinds or "penalty_decision" not in issued_documents(case):
        return None
    from .services import amount_outstanding

    if "enforcement_application" in issued_documents(case):
        return None
    owed = amount_outstanding(case)
    if owed > 0:
        return f"罚款尚未缴清（尚欠 {owed} 元，含加处罚款），应登记缴款凭证，或申请强制执行后再结案（行政处罚法第七十二条）。"
    return None

