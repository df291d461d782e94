"""The case engine follows the published procedure: transitions, gates, guards and deadlines."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa import workdays
from zhifa.cases import gates, selectors, services
from zhifa.cases.models import Case, CaseStatus
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.documents import services as docs
from zhifa.documents.tests.factories import make_document, serve_document, walk_to_statement
from zhifa.ledger.models import LedgerEvent
from zhifa.procedures.definitions import GUARDS
from zhifa.review import services as review
from zhifa.review.models import Criterion


@pytest.fixture
def partner(world):
    return team(world)


def test_opening_numbers_the_case_and_computes_its_deadlines(world, partner):
    case = open_penalty(world, partner)
    year = timezone.localdate().year
    assert case.number == f"{world.city_a.short_name}立〔{year}〕1号"
    assert case.stage == "filing" and case.status == CaseStatus.OPEN
    decision = case.deadlines.get(code="decision")
    assert decision.due_date == workdays.add_days(timezone.localdate(), 90, roll_forward=False).date
    assert "第六十条" in decision.basis
    assert LedgerEvent.objects.filter(kind="cases.case.opened", object_id=str(case.pk)).exists()


def test_two_certified_officers_are_required_and_a_refusal_leaves_no_gap(world, partner):
    with pytest.raises(ValidationError, match="不少于 2 名"):
        open_penalty(world, partner, officers=[world.officer_a])
    assert not Case.objects.exists()
    assert open_penalty(world, partner).number.endswith("〕1号")  # the refused case used no number


def test_only_allowed_transitions_and_stage_requirements(world, partner):
    case = open_penalty(world, partner)
    with pytest.raises(ValidationError, match="可以转到：调查取证"):
        services.move_case(world.officer_a, case, to="decision")
    with pytest.raises(ValidationError, match="立案审批表"):
        services.move_case(world.officer_a, case, to="investigation")
    make_document(world.officer_a, case, "filing_approval")
    services.move_case(world.officer_a, case, to="investigation")
    with pytest.raises(ValidationError, match="现场检查（勘验）笔录》或《询问笔录"):
        services.move_case(world.officer_a, case, to="investigation_end")
    with pytest.raises(PermissionDenied):
        services.move_case(world.officer_other, case, to="investigation_end")


def test_every_guard_named_by_a_procedure_is_implemented(world, partner):
    case = open_penalty(world, partner)
    for guard in GUARDS:
        assert not (gates.check_guard(case, guard) or "").startswith("未知")


def test_no_decision_without_notice_defence_and_passed_review(world, partner):
    review.save_rule(world.admin, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="嘉兴市应急管理局重大执法决定法制审核目录第一项")
    case = walk_to_statement(world, partner, fine_amount="80000")
    assert case.is_major and "罚款五万元以上" in case.major_reasons[0]
    # 80,000 < the 100,000 hearing threshold for organisations: no hearing right, so no waiting period
    with pytest.raises(ValidationError, match="法制审核"):
        services.move_case(world.officer_a, case, to="decision")
    case = services.move_case(world.officer_a, case, to="legal_review")
    task = review.submit_for_review(world.officer_a, case)
    assert task.due_date == workdays.add_workdays(timezone.localdate(), 5).date
    decision = docs.draft_document(world.officer_a, case, doc_type="penalty_decision", content={})
    with pytest.raises(ValidationError, match="法制审核尚未完成"):
        docs.issue_document(world.head_a, decision)
    review.decide_review(world.reviewer_a, task, outcome="corrected", checklist={}, opinion="处罚依据引用条款不准确，请核实后重新送审。")
    with pytest.raises(ValidationError, match="纠正"):
        services.move_case(world.officer_a, case, to="decision")
    task2 = review.submit_for_review(world.officer_a, case)
    assert task2.round == 2
    with pytest.raises(ValidationError, match="逐项审核通过"):
        review.decide_review(world.reviewer_a, task2, outcome="passed", checklist={"facts": True}, opinion="同意")
    from zhifa.review.models import CHECKLIST

    review.decide_review(world.reviewer_a, task2, outcome="passed", checklist={k: True for k, _ in CHECKLIST}, opinion="同意。")
    opinions = case.documents.filter(doc_type="review_opinion", status="issued")
    assert opinions.count() == 2 and "审核结论：同意" in opinions.last().content["opinion"]  # one per decision, in the file
    case = services.move_case(world.officer_a, case, to="decision")
    with pytest.raises(PermissionDenied, match="机关负责人签发"):
        docs.issue_document(world.officer_a, decision)
    with pytest.raises(ValidationError, match="履行方式"):
        docs.issue_document(world.head_a, decision)
    from zhifa.documents.samples import filled

    docs.update_draft(world.officer_a, decision, content=filled("penalty_decision"))
    issued = docs.issue_document(world.head_a, decision)
    assert issued.number == f"{world.city_a.short_name}罚决〔{timezone.localdate().year}〕1号" and issued.pdf_sm3
    case = services.move_case(world.officer_a, case, to="service")
    with pytest.raises(ValidationError, match="尚未登记送达"):
        services.move_case(world.officer_a, case, to="execution")
    serve_document(world.officer_a, issued)
    case = services.move_case(world.officer_a, case, to="execution")
    make_document(world.officer_a, case, "closing_report")
    with pytest.raises(ValidationError, match="罚款尚未缴清"):
        services.move_case(world.officer_a, case, to="closed")
    services.record_payment(world.officer_a, case, paid_on=timezone.localdate(), amount="80000", receipt_number="330400-2026-000123")
    case = services.move_case(world.officer_a, case, to="closed")
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()
    assert case.deadlines.get(code="decision").met_on == timezone.localdate()
    assert [e.stage for e in case.history.all()] == [
        "filing", "investigation", "investigation_end", "notice", "statement", "legal_review", "decision", "service", "execution", "closed",
    ]
    from zhifa.ledger import verification

    assert verification.verify().ok, verification.verify().problems


def test_hearing_rights_hold_the_case_until_the_period_ends(world, partner):
    case = walk_to_statement(world, partner, fine_amount="150000")  # ≥ 100,000 for an organisation
    assert gates.hearing_right_applies(case)
    with pytest.raises(ValidationError, match="申请听证期限至.*届满，当事人尚未放弃"):
        services.move_case(world.officer_a, case, to="legal_review")
    services.record_party_choice(world.officer_a, case, choice="hearing_requested")
    case = Case.objects.get(pk=case.pk)
    assert case.is_major  # a hearing makes it a major decision (第五十八条)
    case = services.move_case(world.officer_a, case, to="hearing")
    with pytest.raises(ValidationError, match="听证通知书"):
        services.move_case(world.officer_a, case, to="legal_review")
    hearing_on = workdays.add_workdays(timezone.localdate(), 7).date
    make_document(world.officer_a, case, "hearing_notice", content={"hearing_at": hearing_on.isoformat()}, serve="direct")
    with time_machine.travel(datetime.datetime.combine(hearing_on, datetime.time(10)), tick=False):
        make_document(world.officer_a, case, "hearing_record", content={"hearing_at": hearing_on.isoformat()})
        assert services.move_case(world.officer_a, case, to="legal_review").stage == "legal_review"


def test_party_waiver_releases_the_hearing_guard(world, partner):
    case = walk_to_statement(world, partner, fine_amount="150000")
    services.record_party_choice(world.officer_a, case, choice="hearing_waived")
    case = services.move_case(world.officer_a, case, to="legal_review")
    assert case.stage == "legal_review"


def test_overdue_deadlines_are_listed_for_supervisors(world, partner):
    case = open_penalty(world, partner)
    deadline = case.deadlines.get(code="decision")
    deadline.due_date = timezone.localdate() - datetime.timedelta(days=1)
    deadline.save()
    assert list(selectors.overdue_deadlines(world.city_supervisor)) == [deadline]
    assert list(selectors.overdue_deadlines(world.officer_other)) == []


def test_simple_procedure_only_within_its_limits(world, partner):
    party = {"kind": "citizen", "name": "李明", "address": "嘉兴市南湖区新兴路 12 号", "id_code": "330402199003071237"}
    case = services.open_case(
        world.officer_a, procedure_code="penalty_simple", title="违规动火作业", source="inspection", parties=[party], officers=[],
        occurred_on=timezone.localdate(),
    )
    services.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="500", legal_basis="某条例第十条")
    make_document(world.officer_a, case, "onsite_penalty_decision")
    with pytest.raises(ValidationError, match="超过简易程序限额（200 元"):
        services.move_case(world.officer_a, case, to="filing_record")
    services.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="200", legal_basis="某条例第十条")
    assert services.move_case(world.officer_a, case, to="filing_record").stage == "filing_record"
