"""The alert jobs under a moved clock: each alert raised once per key, told to the right people, pushed without the
list of whom it told; a job run again raises nothing new."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core import jobs
from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.ledger.models import LedgerEvent
from zhifa.publicity.models import Publication
from zhifa.workflow import services
from zhifa.workflow.models import Alert, Delivery, Notification


def run(name, when):
    with time_machine.travel(when, tick=False):
        return jobs.run(name, timezone.localtime().replace(second=0, microsecond=0))


def test_deadline_alerts_reach_the_officers_then_the_heads_once_each(world):
    partner = team(world)
    case = open_penalty(world, partner)
    deadline = case.deadlines.filter(party_period=False, met_on__isnull=True).order_by("due_date").first()
    services.create_subscription(world.admin, name="监督平台", url="https://supervise.example.gov.cn/hook", kinds=["workflow.alert.raised"])
    noon = dt.time(12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

    assert run("deadline-alerts", dt.datetime.combine(deadline.due_date - dt.timedelta(days=10), noon)).startswith("新预警 0 项")
    assert run("deadline-alerts", dt.datetime.combine(deadline.due_date - dt.timedelta(days=2), noon)).startswith("新预警 1 项")
    assert run("deadline-alerts", dt.datetime.combine(deadline.due_date - dt.timedelta(days=1), noon)).startswith("新预警 0 项")  # same key
    services.dispatch_all()
    soon = Notification.objects.filter(title__contains="将于")
    assert set(soon.values_list("recipient__username", flat=True)) == {"officer_a", "officer_b"}

    assert run("deadline-alerts", dt.datetime.combine(deadline.due_date + dt.timedelta(days=1), noon)).startswith("新预警 1 项")
    services.dispatch_all()
    late = Notification.objects.filter(title__contains="已超期")
    assert set(late.values_list("recipient__username", flat=True)) == {"officer_a", "officer_b", "head_a"}
    assert Alert.objects.count() == 2 and LedgerEvent.objects.filter(kind="workflow.alert.raised").count() == 2
    pushed = [json.loads(d.body)["data"] for d in Delivery.objects.order_by("event_seq")]
    assert [p["code"] for p in pushed] == ["deadline_soon", "deadline_overdue"] and all("recipients" not in p for p in pushed)


def test_a_publication_not_released_in_time_alerts_the_head_and_the_reviewer(world):
    doc = onsite_decision_in(world, world.city_a)
    pub = Publication.objects.get(document=doc)
    noon = dt.time(12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert run("publication-alerts", dt.datetime.combine(pub.due_date, noon)) == "新预警 0 项"
    assert run("publication-alerts", dt.datetime.combine(pub.due_date + dt.timedelta(days=1), noon)) == "新预警 1 项"
    services.dispatch_all()
    told = set(Notification.objects.filter(title__contains="超过公示期限").values_list("recipient__username", flat=True))
    assert told == {"head_a", "reviewer_a"}


@pytest.mark.parametrize("month, expected", [(1, None), (2, "新预警")])
def test_after_31_january_an_agency_without_its_annual_report_is_alerted_once(world, month, expected):
    when = dt.datetime(2027, month, 1 if month == 2 else 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(when, tick=False):
        due = {j.name for j, _ in jobs.due()}
    assert ("annual-report-check" in due) == (expected is not None)
    if expected:
        first = run("annual-report-check", when)
        assert first.startswith("新预警") and first != "新预警 0 项"
        assert run("annual-report-check", when + dt.timedelta(days=1)) == "新预警 0 项"
        services.dispatch_all()
        assert Notification.objects.filter(recipient=world.head_a, title__contains="2026 年度行政执法统计年报").exists()
        assert Notification.objects.filter(recipient=world.city_supervisor, title__contains=world.city_a.name).exists()
        assert not Notification.objects.filter(recipient=world.city_supervisor, title__contains=world.other_city.name).exists()


def test_in_january_the_reports_of_the_year_just_ended_are_generated_once(world):
    from zhifa.publicity.models import AnnualReport

    when = dt.datetime(2027, 1, 3, 3, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    made = run("annual-report-drafts", when)
    assert made.startswith("2026 年度统计年报新生成") and AnnualReport.objects.filter(year=2026).count() == 3  # the three enforcing agencies, not the 司法局
    assert run("annual-report-drafts", when + dt.timedelta(days=1)).endswith("新生成 0 份")
