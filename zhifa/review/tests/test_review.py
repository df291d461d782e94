import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases import services as cases
from zhifa.cases.models import Case
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.documents import services as docs
from zhifa.documents.tests.factories import make_document, walk_to_statement
from zhifa.org.models import Person
from zhifa.review import selectors, services
from zhifa.review.models import CHECKLIST, Criterion, ReviewStatus

ALL = {key: True for key, _ in CHECKLIST}


@pytest.fixture
def major_case(world):
    partner = team(world)
    services.save_rule(world.admin, name="责令停产停业", criterion=Criterion.PENALTY_KIND, values=["restriction"], basis="目录第二项")
    services.save_rule(world.admin, agency=world.city_a, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="目录第一项")
    case = walk_to_statement(world, partner, fine_amount="60000")
    return cases.move_case(world.officer_a, case, to="legal_review")


def test_catalogue_flags_cases_automatically(world, major_case):
    assert major_case.is_major and major_case.major_reasons == ["罚款五万元以上（目录第一项）"]
    cases.set_proposal(world.officer_a, major_case, outcome="penalty", penalty_kinds=["fine"], fine_amount="3000", legal_basis="某条")
    assert not Case.objects.get(pk=major_case.pk).is_major
    with pytest.raises(ValidationError, match="陈述、申辩后不得加重处罚"):  # 行政处罚法第四十五条
        cases.set_proposal(world.officer_a, major_case, outcome="penalty", penalty_kinds=["restriction"], legal_basis="某条")
    fresh = open_penalty(world, Person.objects.get(username="officer_b"))  # not yet told: any proposal
    cases.set_proposal(world.officer_a, fresh, outcome="penalty", penalty_kinds=["restriction"], legal_basis="某条")
    assert Case.objects.get(pk=fresh.pk).major_reasons == ["责令停产停业（目录第二项）"]
    with pytest.raises(ValidationError, match="应当填写金额"):
        services.save_rule(world.admin, name="x", criterion=Criterion.FINE_AT_LEAST, basis="y")


def test_who_may_review(world, major_case):
    task = services.submit_for_review(world.officer_a, major_case)
    with pytest.raises(ValidationError, match="不能重复送审"):
        services.submit_for_review(world.officer_a, major_case)
    with pytest.raises(PermissionDenied):
        services.decide_review(world.officer_a, task, outcome="passed", checklist=ALL, opinion="同意")
    world.reviewer_a.has_legal_qualification = False
    world.reviewer_a.save()
    with pytest.raises(PermissionDenied, match="法律职业资格"):
        services.decide_review(world.reviewer_a, task, outcome="passed", checklist=ALL, opinion="同意")


def test_escalation_to_collective_discussion_then_decision(world, major_case):
    task = services.submit_for_review(world.officer_a, major_case)
    services.decide_review(world.reviewer_a, task, outcome="corrected", checklist={}, opinion="裁量过重，建议降低罚款数额。")
    with pytest.raises(PermissionDenied):
        services.escalate(world.officer_a, task, reason="承办机构不同意")
    services.escalate(world.head_a, task, reason="承办机构认为裁量适当，提请集体讨论。")
    assert selectors.visible_tasks(world.head_a).get().status == ReviewStatus.ESCALATED
    case = cases.move_case(world.officer_a, major_case, to="collective")
    with pytest.raises(ValidationError, match="集体讨论记录签发前"):
        cases.move_case(world.officer_a, case, to="decision")
    make_document(world.head_a, case, "collective_discussion")
    assert cases.move_case(world.officer_a, case, to="decision").stage == "decision"


def test_overdue_reviews_and_the_api(world, major_case):
    task = services.submit_for_review(world.officer_a, major_case)
    type(task).objects.filter(pk=task.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert list(selectors.overdue_tasks(world.city_supervisor)) == [task]
    api = APIClient()
    api.force_authenticate(world.reviewer_a)
    bad = api.post(f"/api/v1/review/tasks/{task.pk}/decide/", {"outcome": "passed", "checklist": {"facts": True}, "opinion": "同意"}, format="json")
    assert bad.status_code == 400 and "逐项审核通过" in str(bad.json())
    decision = docs.draft_document(world.officer_a, major_case, doc_type="penalty_decision", content={})
    head = APIClient()
    head.force_authenticate(world.head_a)
    refused = head.post(f"/api/v1/documents/{decision.pk}/issue/")
    assert refused.status_code == 400 and "法制审核尚未完成" in str(refused.json())
    ok = api.post(f"/api/v1/review/tasks/{task.pk}/decide/", {"outcome": "passed", "checklist": ALL, "opinion": "同意"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "passed"
