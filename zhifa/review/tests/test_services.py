"""Legal review services, rule by rule: the catalogue, who submits, who reviews, what an opinion must hold,
escalation only after a 纠正 opinion. Every refusal names its reason in Chinese and changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services as cases
from zhifa.cases.models import Case
from zhifa.cases.tests.factories import staff
from zhifa.core.roles import Role
from zhifa.documents.models import Document
from zhifa.documents.tests.factories import statement_case_in
from zhifa.ledger.models import LedgerEvent
from zhifa.org.tests import factories as f
from zhifa.review import services
from zhifa.review.models import CHECKLIST, CatalogueRule, Criterion, ReviewStatus, ReviewTask

ALL = {key: True for key, _ in CHECKLIST}


def unchanged(call, *args, match, error=ValidationError, **kwargs):
    """The call is refused with `match` in its message, and neither the tables nor the ledger changed."""
    before = (LedgerEvent.objects.count(), ReviewTask.objects.count(), CatalogueRule.objects.count(), Document.objects.count())
    with pytest.raises(error, match=match):
        call(*args, **kwargs)
    assert (LedgerEvent.objects.count(), ReviewTask.objects.count(), CatalogueRule.objects.count(), Document.objects.count()) == before


@pytest.fixture
def rule(world):
    return services.save_rule(world.admin, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="目录第一项")


@pytest.fixture
def at_review(world, rule):
    officer, _ = staff(world, world.city_a)
    return cases.move_case(officer, statement_case_in(world, world.city_a), to="legal_review")


# --- the catalogue ---------------------------------------------------------------------------------------


def test_a_rule_is_recorded_and_only_admins_and_heads_keep_the_catalogue(world, rule):
    event = LedgerEvent.objects.filter(kind="review.rule.created").latest("seq")
    assert event.parsed["data"]["name"] == "罚款五万元以上" and event.parsed["data"]["amount"] == "50000.00"
    unchanged(services.save_rule, world.officer_a, name="x", criterion=Criterion.NO_PENALTY, basis="y", match="系统管理员或机关负责人", error=PermissionDenied)
    unchanged(services.save_rule, world.reviewer_a, name="x", criterion=Criterion.NO_PENALTY, basis="y", match="系统管理员或机关负责人", error=PermissionDenied)


def test_a_head_keeps_only_his_own_agencys_catalogue(world):
    other_head = f.person(world.other_city, Role.HEAD, full_name="湖州局长")
    mine = services.save_rule(world.head_a, agency=world.other_city, name="不予处罚", criterion=Criterion.NO_PENALTY, basis="目录第五项")
    assert mine.agency == world.city_a  # the agency he named is replaced by his own
    theirs = services.save_rule(other_head, name="不予处罚", criterion=Criterion.NO_PENALTY, basis="目录第五项")
    assert theirs.agency == world.other_city


@pytest.mark.parametrize(
    "data, message",
    [
        ({"criterion": Criterion.FINE_AT_LEAST}, "应当填写金额"),
        ({"criterion": Criterion.FINE_AT_LEAST, "amount": Decimal("-1")}, "应当填写金额"),
        ({"criterion": Criterion.CONFISCATION_AT_LEAST, "amount": Decimal("0")}, "应当填写金额"),
        ({"criterion": Criterion.PENALTY_KIND}, "处罚种类或执法类别"),
        ({"criterion": Criterion.CATEGORY, "values": []}, "处罚种类或执法类别"),
        ({"criterion": "whim"}, "criterion"),
        ({"criterion": Criterion.NO_PENALTY, "reviewer_note": "x"}, "不可修改的字段"),
    ],
)
def test_a_rule_that_cannot_be_applied_is_refused(world, data, message):
    unchanged(services.save_rule, world.admin, name="某事项", basis="目录", **data, match=message)


def test_changing_a_rule_records_what_changed(world, rule):
    services.save_rule(world.admin, rule, amount=Decimal("80000"))
    event = LedgerEvent.objects.filter(kind="review.rule.updated").latest("seq")
    assert event.parsed["data"]["changes"]["amount"] == ["50000.00", "80000.00"]


def test_the_catalogue_decides_which_cases_are_major(world, rule):
    below = statement_case_in(world, world.city_a, fine_amount="49999")
    at = statement_case_in(world, world.city_a, fine_amount="50000")
    assert not below.is_major and services.catalogue_reasons(below) == []
    assert at.is_major and services.catalogue_reasons(at) == ["罚款五万元以上（目录第一项）"]
    huzhou = statement_case_in(world, world.other_city, fine_amount="60000")
    assert huzhou.is_major  # a rule without an agency applies to every agency
    local = services.save_rule(world.head_a, name="没收五千元以上", criterion=Criterion.CONFISCATION_AT_LEAST, amount=Decimal("5000"), basis="本局目录")
    assert local.agency == world.city_a
    assert services.catalogue_reasons(huzhou) == ["罚款五万元以上（目录第一项）"]  # not the other agency's rule


# --- submitting -----------------------------------------------------------------------------------------


def test_only_major_cases_at_the_review_stage_are_submitted(world, rule):
    officer, _ = staff(world, world.city_a)
    minor = cases.move_case(officer, statement_case_in(world, world.city_a, fine_amount="3000"), to="legal_review")
    unchanged(services.submit_for_review, officer, minor, match="无需送审")
    early = statement_case_in(world, world.city_a)
    unchanged(services.submit_for_review, officer, early, match="应先流转到“法制审核”环节")


def test_only_the_case_team_or_the_head_submits(world, at_review):
    unchanged(services.submit_for_review, world.officer_other, at_review, match="承办人员或机关负责人", error=PermissionDenied)
    unchanged(services.submit_for_review, world.reviewer_a, at_review, match="承办人员或机关负责人", error=PermissionDenied)
    task = services.submit_for_review(world.head_a, at_review)
    assert task.round == 1 and task.status == ReviewStatus.PENDING and task.submitted_by == world.head_a


def test_review_due_in_five_working_days_and_one_pending_task_at_a_time(world, at_review):
    from zhifa import workdays

    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    assert task.due_date == workdays.add_workdays(task.submitted_on, 5).date
    unchanged(services.submit_for_review, officer, at_review, match="不能重复送审")


# --- deciding -------------------------------------------------------------------------------------------


def test_a_reviewer_of_another_agency_or_on_the_case_team_may_not_review(world, at_review):
    officer, partner = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    foreign = f.person(world.other_city, Role.REVIEWER, full_name="湖州审核员", has_legal_qualification=True)
    unchanged(services.decide_review, foreign, task, outcome="passed", checklist=ALL, opinion="同意", match="本机关的法制审核人员", error=PermissionDenied)
    # the partner becomes a reviewer too: still on the case team
    partner.role_assignments.create(role=Role.REVIEWER)
    partner.has_legal_qualification = True
    partner.save()
    partner = type(partner).objects.get(pk=partner.pk)
    unchanged(services.decide_review, partner, task, outcome="passed", checklist=ALL, opinion="同意", match="本案承办人员不得审核本案")


@pytest.mark.parametrize(
    "outcome, checklist, opinion, message",
    [
        ("passed", {**ALL, "evidence": False}, "同意", "以下事项未通过：证据合法、确实充分"),
        ("passed", {}, "同意", "同意须逐项审核通过"),
        ("passed", ALL, "  ", "应当写明审核意见及理由"),
        ("corrected", {}, "", "应当写明审核意见及理由"),
        ("approved", ALL, "同意", "审核结论应为同意、纠正或移送"),
        ("pending", ALL, "同意", "审核结论应为同意、纠正或移送"),
    ],
)
def test_an_opinion_must_be_complete(world, at_review, outcome, checklist, opinion, message):
    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    unchanged(services.decide_review, world.reviewer_a, task, outcome=outcome, checklist=checklist, opinion=opinion, match=message)


def test_an_opinion_becomes_a_numbered_document_in_the_file_and_opens_the_decision(world, at_review):
    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    task = services.decide_review(world.reviewer_a, task, outcome="passed", checklist=ALL, opinion="事实清楚，证据充分，同意。")
    opinion = Document.objects.get(case=at_review, doc_type="review_opinion")
    assert opinion.status == "issued" and opinion.number and "事实清楚，证据充分，同意。" in opinion.content["opinion"]
    assert services.review_state(Case.objects.get(pk=at_review.pk)) == (True, "")
    unchanged(services.decide_review, world.reviewer_a, task, outcome="corrected", checklist={}, opinion="再议", match="该审核任务已办结")
    kinds = list(LedgerEvent.objects.filter(seq__gt=0).order_by("-seq").values_list("kind", flat=True)[:6])
    assert "review.task.decided" in kinds and "cases.case.act" in kinds


def test_a_corrected_case_is_submitted_again_as_round_two(world, at_review):
    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    services.decide_review(world.reviewer_a, task, outcome="corrected", checklist={}, opinion="罚款裁量过重。")
    passed, reason = services.review_state(Case.objects.get(pk=at_review.pk))
    assert not passed and "纠正" in reason
    again = services.submit_for_review(officer, at_review)
    assert again.round == 2 and again.status == ReviewStatus.PENDING


# --- escalation -----------------------------------------------------------------------------------------


def test_escalation_only_by_the_head_after_a_correction_with_a_reason(world, at_review):
    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    unchanged(services.escalate, world.head_a, task, reason="有分歧", match="不能代替法制审核")
    services.decide_review(world.reviewer_a, task, outcome="corrected", checklist={}, opinion="罚款裁量过重。")
    unchanged(services.escalate, officer, task, reason="有分歧", match="只有机关负责人", error=PermissionDenied)
    other_head = f.person(world.other_city, Role.HEAD, full_name="湖州局长")
    unchanged(services.escalate, other_head, task, reason="有分歧", match="只有机关负责人", error=PermissionDenied)
    unchanged(services.escalate, world.head_a, task, reason=" ", match="应当说明提交集体讨论的理由")
    task = services.escalate(world.head_a, task, reason="承办机构认为裁量适当。")
    assert task.status == ReviewStatus.ESCALATED and "【提交集体讨论】承办机构认为裁量适当。" in task.opinion
    assert services.escalated(Case.objects.get(pk=at_review.pk))


def test_a_passed_review_cannot_be_escalated(world, at_review):
    officer, _ = staff(world, world.city_a)
    task = services.submit_for_review(officer, at_review)
    services.decide_review(world.reviewer_a, task, outcome="passed", checklist=ALL, opinion="同意。")
    unchanged(services.escalate, world.head_a, task, reason="复议", match="只有审核意见为“纠正”")
