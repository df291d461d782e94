"""Legal review of major decisions: the catalogue, submission, the reviewer's decision, escalation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa import workdays
from zhifa.cases import services as case_services
from zhifa.cases.models import Case, CaseStatus, ProposedOutcome
from zhifa.cases.services import works_on
from zhifa.core.errors import require
from zhifa.core.roles import Role, is_admin
from zhifa.ledger import services as ledger

from .models import CHECKLIST, CatalogueRule, Criterion, ReviewStatus, ReviewTask

RULE_FIELDS = "agency name criterion amount values basis is_active".split()
TASK_FIELDS = "case round submitted_by submitted_on due_date status reviewer checklist opinion decided_on escalated_by".split()


def catalogue_reasons(case: Case) -> list[str]:
    """Why a case is a 重大执法决定: its agency's catalogue, plus 行政处罚法第五十八条 (hearing held)."""
    reasons = []
    rules = CatalogueRule.objects.filter(is_active=True).filter(agency__isnull=True) | CatalogueRule.objects.filter(
        is_active=True, agency_id=case.agency_id
    )
    for rule in rules:
        hit = False
        if rule.criterion == Criterion.FINE_AT_LEAST:
            hit = case.fine_amount is not None and rule.amount is not None and case.fine_amount >= rule.amount
        elif rule.criterion == Criterion.CONFISCATION_AT_LEAST:
            hit = case.confiscation_amount is not None and rule.amount is not None and case.confiscation_amount >= rule.amount
        elif rule.criterion == Criterion.PENALTY_KIND:
            hit = bool(set(rule.values) & set(case.penalty_kinds))
        elif rule.criterion == Criterion.HEARING:
            hit = case.hearing_requested or case.history.filter(stage="hearing").exists()
        elif rule.criterion == Criterion.CATEGORY:
            hit = case.procedure.category in rule.values
        elif rule.criterion == Criterion.NO_PENALTY:
            hit = case.proposed_outcome in (ProposedOutcome.NO_PENALTY, ProposedOutcome.TRANSFER)
        if hit:
            reasons.append(f"{rule.name}（{rule.basis}）")
    if case.hearing_requested and not any("听证" in r for r in reasons):
        reasons.append("经过听证程序作出的行政处罚决定（行政处罚法第五十八条第一款第二项）")
    return reasons


def latest_task(case: Case) -> ReviewTask | None:
    return case.review_tasks.order_by("-round").first()


def review_state(case: Case) -> tuple[bool, str]:
    """For the case engine: has review passed? Escalated cases pass once the 集体讨论 has decided."""
    task = latest_task(case)
    if task is None:
        return False, "该案属于重大执法决定法制审核目录，尚未送法制审核，不得作出决定（行政处罚法第五十八条）。"
    if task.status == ReviewStatus.PASSED:
        return True, ""
    if task.status == ReviewStatus.ESCALATED:
        # The heads decide on the reviewer's opinion: a 集体讨论记录 issued after the escalation.
        discussed = case.documents.filter(doc_type="collective_discussion", status="issued", issued_on__gte=task.decided_on).exists()
        return discussed, "" if discussed else "审核意见分歧已提交集体讨论（局长办公会），集体讨论记录签发前不得作出决定。"
    if task.status == ReviewStatus.PENDING:
        return False, f"法制审核尚未完成（第 {task.round} 次送审，{task.due_date:%Y年%m月%d日}前完成），不得作出决定。"
    return False, f"法制审核意见为“{task.get_status_display()}”，须按审核意见处理后重新送审，审核通过前不得作出决定。"


def escalated(case: Case) -> bool:
    task = latest_task(case)
    return task is not None and task.status == ReviewStatus.ESCALATED


@transaction.atomic
def save_rule(actor, rule: CatalogueRule | None = None, **data) -> CatalogueRule:
    require(is_admin(actor) or actor.has_role(Role.HEAD), "只有系统管理员或机关负责人可以维护审核目录。")
    rule = rule or CatalogueRule()
    before = ledger.snapshot(rule, RULE_FIELDS) if rule.pk else None
    for key, value in data.items():
        if key not in RULE_FIELDS:
            raise ValidationError(f"不可修改的字段：{key}")
        setattr(rule, key, value.strip() if isinstance(value, str) else value)
    if not is_admin(actor):
        rule.agency = actor.agency  # a head maintains his own agency's catalogue
    rule.full_clean()  # also turns a submitted amount into a Decimal
    if rule.criterion in (Criterion.FINE_AT_LEAST, Criterion.CONFISCATION_AT_LEAST) and (rule.amount is None or rule.amount <= 0):
        raise ValidationError({"amount": "按金额判断的事项应当填写金额。"})
    if rule.criterion in (Criterion.PENALTY_KIND, Criterion.CATEGORY) and not rule.values:
        raise ValidationError({"values": "应当选择处罚种类或执法类别。"})
    rule.save()
    after = ledger.snapshot(rule, RULE_FIELDS)
    if before is None:
        ledger.append("review.rule.created", actor=actor, obj=rule, data=after)
    else:
        ledger.append("review.rule.updated", actor=actor, obj=rule, data={"changes": ledger.changes(before, after)})
    return rule


@transaction.atomic
def submit_for_review(actor, case: Case) -> ReviewTask:
    """送审: the case office submits the file; the review must finish within ZHIFA_REVIEW_WORKDAYS."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require(works_on(actor, case), "只有本案承办人员或机关负责人可以送审。")
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案。")
    if case.stage != "legal_review":
        raise ValidationError(f"案件处于“{case.stage_name}”环节，应先流转到“法制审核”环节再送审。")
    if not case.is_major:
        raise ValidationError("该案不属于重大执法决定法制审核目录，无需送审。")
    last = latest_task(case)
    if last and last.status in (ReviewStatus.PENDING, ReviewStatus.PASSED, ReviewStatus.ESCALATED):
        raise ValidationError(f"第 {last.round} 次送审的状态为“{last.get_status_display()}”，不能重复送审。")
    today = timezone.localdate()
    due = workdays.add_workdays(today, settings.ZHIFA_REVIEW_WORKDAYS, basis="重大执法决定法制审核期限")
    task = ReviewTask.objects.create(
        case=case, round=(last.round + 1) if last else 1, submitted_by=actor, submitted_on=today, due_date=due.date, due_rule=due.rule,
    )
    ledger.append("review.task.submitted", actor=actor, obj=task, agency_id=case.agency_id, data=ledger.snapshot(task, TASK_FIELDS))
    return task


def may_review(actor, case: Case) -> bool:
    return bool(actor.is_authenticated and actor.agency_id == case.agency_id and actor.has_role(Role.REVIEWER))


@transaction.atomic
def decide_review(actor, task: ReviewTask, *, outcome: str, checklist: dict, opinion: str) -> ReviewTask:
    task = ReviewTask.objects.select_for_update().select_related("case").get(pk=task.pk)
    case = task.case
    require(may_review(actor, case), "只有本机关的法制审核人员可以审核。")
    require(
        case.procedure.category != "penalty" or actor.has_legal_qualification,
        "初次从事行政处罚决定法制审核的人员，应当取得法律职业资格（行政处罚法第五十八条）。",
    )
    if actor.pk in set(case.officers.values_list("person_id", flat=True)):
        raise ValidationError("本案承办人员不得审核本案。")
    if task.status != ReviewStatus.PENDING:
        raise ValidationError("该审核任务已办结。")
    if outcome not in (ReviewStatus.PASSED, ReviewStatus.CORRECTED, ReviewStatus.TRANSFERRED):
        raise ValidationError({"outcome": "审核结论应为同意、纠正或移送有权机关处理。"})
    items = {key: bool(checklist.get(key)) for key, _ in CHECKLIST}
    opinion = (opinion or "").strip()
    if outcome == ReviewStatus.PASSED and not all(items.values()):
        missing = "、".join(label for key, label in CHECKLIST if not items[key])
        raise ValidationError({"checklist": f"同意须逐项审核通过，以下事项未通过：{missing}。"})
    if not opinion:
        raise ValidationError({"opinion": "应当写明审核意见及理由。"})
    task.status, task.checklist, task.opinion = outcome, items, opinion
    task.reviewer, task.decided_on = actor, timezone.localdate()
    task.save()
    ledger.append("review.task.decided", actor=actor, obj=task, agency_id=case.agency_id, data=ledger.snapshot(task, TASK_FIELDS))
    _opinion_document(actor, task)
    case_services.record_act(case, "review:decided", task.decided_on)
    case_services.record_event("cases.case.act", actor, case, act="review:decided", outcome=outcome)
    return task


def _opinion_document(actor, task: ReviewTask) -> None:
    """The written opinion goes into the case file as a numbered 法制审核意见书 (DOMAIN.md R3.4)."""
    from zhifa.documents import services as documents

    checks = "；".join(f"{label}：{'通过' if task.checklist.get(key) else '未通过'}" for key, label in CHECKLIST)
    text = f"审核结论：{task.get_status_display()}（第 {task.round} 次送审）。\n审核意见：{task.opinion}\n审核内容：{checks}。"
    document = documents.draft_document(actor, task.case, doc_type="review_opinion", content={"opinion": text}, _review_task=task)
    documents.issue_document(actor, document)


@transaction.atomic
def escalate(actor, task: ReviewTask, *, reason: str) -> ReviewTask:
    """分歧 between the case office and the reviewers goes to the heads' 集体讨论 (S001: 局长办公会) — after the
    reviewer's opinion, when the case office disagrees with it; never instead of a review."""
    task = ReviewTask.objects.select_for_update().select_related("case").get(pk=task.pk)
    require(actor.agency_id == task.case.agency_id and actor.has_role(Role.HEAD), "只有机关负责人可以提交集体讨论。")
    if task.status == ReviewStatus.PENDING:
        raise ValidationError("法制审核尚未作出意见。提交集体讨论只能在审核意见作出之后、承办机构对意见有异议时进行，不能代替法制审核。")
    if task.status != ReviewStatus.CORRECTED:
        raise ValidationError("只有审核意见为“纠正”、承办机构有异议的，才能提交集体讨论。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "应当说明提交集体讨论的理由。"})
    task.status, task.escalated_by = ReviewStatus.ESCALATED, actor
    task.opinion = (task.opinion + "\n" if task.opinion else "") + f"【提交集体讨论】{reason.strip()}"
    task.save()
    ledger.append("review.task.escalated", actor=actor, obj=task, agency_id=task.case.agency_id, data=ledger.snapshot(task, TASK_FIELDS))
    return task
