"""The apps' rules on real events: who is told of a legal review, and what a subscriber gets of a publication."""

import json

import pytest

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import staff
from zhifa.documents.tests.factories import onsite_decision_in, statement_case_in
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication
from zhifa.review import services as review
from zhifa.review.models import CHECKLIST, Criterion
from zhifa.workflow import services
from zhifa.workflow.models import Delivery, Notification


@pytest.fixture
def at_review(world):
    from decimal import Decimal

    review.save_rule(world.admin, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="目录第一项")
    officer, _ = staff(world, world.city_a)
    return officer, cases.move_case(officer, statement_case_in(world, world.city_a), to="legal_review")


def inbox(person):
    return list(Notification.objects.filter(recipient=person).values_list("title", flat=True))


def test_the_reviewers_hear_of_a_submission_and_the_submitter_of_the_opinion(world, at_review):
    officer, case = at_review
    services.dispatch_all()
    task = review.submit_for_review(officer, case)
    services.dispatch_all()
    assert inbox(world.reviewer_a) == [f"待法制审核：{case.number}"]
    assert not inbox(world.officer_other) and not Notification.objects.filter(recipient=officer, category="review").exists()
    review.decide_review(world.reviewer_a, task, outcome="passed", checklist={k: True for k, _ in CHECKLIST}, opinion="同意。")
    services.dispatch_all()
    [told] = Notification.objects.filter(recipient=officer, category="review").values_list("title", flat=True)
    assert told.startswith(f"法制审核意见：{case.number}")
    n = Notification.objects.get(recipient=world.reviewer_a)
    assert n.link == f"/review/{task.pk}/"


def test_a_publication_waiting_for_release_reaches_the_heads_and_its_release_is_pushed_as_the_portal_shows_it(world):
    person = {"kind": "citizen", "name": "王小明", "id_code": "330402199003071237", "address": "嘉兴市南湖区"}
    doc = onsite_decision_in(world, world.city_a, party=person)
    services.create_subscription(world.admin, name="信用平台", url="https://credit.example.gov.cn/hook", kinds=["publicity.publication.released"])
    services.dispatch_all()
    assert any(t.startswith("公示信息待审核发布") for t in inbox(world.head_a))
    pub = Publication.objects.get(document=doc)
    publicity.release(world.head_a, pub)
    services.dispatch_all()
    body = json.loads(Delivery.objects.get().body)
    assert body["event"]["kind"] == "publicity.publication.released"
    assert body["data"]["decision_number"] == pub.decision_number and body["data"]["party_code"] == ""
    assert body["leaf_hash"] and "ledger_entry" not in body  # the entry holds more than the portal shows
    pushed = Delivery.objects.get().body
    assert "330402199003071237" not in pushed and "嘉兴市南湖区" not in pushed
