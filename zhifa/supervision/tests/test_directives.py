"""督办 and correction: a numbered directive to an agency, its head's reply, the supervisor's review, escalation
when the reply is late; who may do what; on the ledger."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.cases.tests.factories import case_in
from zhifa.core.roles import Role
from zhifa.ledger import verification
from zhifa.ledger.guard import maintenance
from zhifa.org.models import AgencyLevel
from zhifa.org.tests import factories as f
from zhifa.supervision import services
from zhifa.supervision.models import Clue, Directive, DirectiveStatus
from zhifa.workflow.models import Alert


@pytest.fixture
def county_head(world):
    return f.person(world.county_a, Role.HEAD, username="head_county", full_name="钱峰")


def issue(world, **extra):
    data = dict(agency=world.county_a, kind="urge", subject="案件办理超期", content="你局办理的案件已超过法定办案期限，请立即依法作出处理决定并报告。",
                basis="行政处罚法第六十条", reply_workdays=5)
    data.update(extra)
    return services.issue_directive(world.city_supervisor, **data)


def test_a_directive_is_numbered_answered_returned_and_closed(world, county_head):
    case = case_in(world, world.county_a)
    directive = issue(world, case=case)
    short = world.city_justice.short_name
    assert directive.number == f"{short}督〔{timezone.localdate().year}〕1号" and directive.status == DirectiveStatus.ISSUED
    assert directive.due_date > timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.reply_directive(world.head_a, directive, text="不是本局的文书，不能答复。")
    services.reply_directive(county_head, directive, text="已作出处罚决定并送达当事人。")
    with pytest.raises(ValidationError, match="审核意见"):
        services.review_directive(world.city_supervisor, directive, accept=False, note="")
    services.review_directive(world.city_supervisor, directive, accept=False, note="请附处罚决定书文号。")
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.ISSUED
    services.reply_directive(county_head, directive, text="处罚决定书文号：盐应急罚〔2026〕5号，已于当日送达。")
    services.review_directive(world.city_supervisor, directive, accept=True, note="整改到位。")
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.CLOSED and directive.closed_by == world.city_supervisor
    assert verification.verify(check_files=False).ok


def test_who_may_issue(world):
    outsider_agency = f.agency("平湖市司法局", region="330482", level=AgencyLevel.COUNTY, supervisory=True)
    outsider = f.person(outsider_agency, Role.SUPERVISOR, full_name="孙亮")
    with pytest.raises(PermissionDenied):
        services.issue_directive(outsider, agency=world.county_a, kind="urge", subject="x", content="越权发出的督办通知内容", basis="无")
    with pytest.raises(PermissionDenied):
        services.issue_directive(world.head_a, agency=world.county_a, kind="urge", subject="x", content="执法机关不能发督办通知", basis="无")
    with pytest.raises(ValidationError, match="监督机关"):
        issue(world, agency=world.city_justice)
    assert not Directive.objects.exists()


@pytest.mark.parametrize("bad", [dict(content="太短"), dict(reply_workdays=0), dict(reply_workdays=61), dict(subject=""), dict(kind="order"),
                                 dict(basis=" "), dict(content="含有控制字符\x00的监督意见和整改要求")])
def test_bad_directives_change_nothing(world, bad):
    with pytest.raises(ValidationError):
        issue(world, **bad)
    assert not Directive.objects.exists()


def test_a_directive_about_another_agencys_case_is_refused(world):
    case = case_in(world, world.city_a)
    with pytest.raises(ValidationError, match="案件不属于"):
        issue(world, case=case)


def test_closing_a_directive_from_a_clue_closes_the_clue(world, county_head):
    case = case_in(world, world.county_a)
    due = case.deadlines.get(code="decision").due_date
    services.run_models(["deadline_overdue"], today=due + datetime.timedelta(days=1))
    clue = Clue.objects.get(model="deadline_overdue", agency=world.county_a)
    directive = issue(world, clue=clue)
    services.reply_directive(county_head, directive, text="已于今日作出处罚决定。")
    services.review_directive(world.city_supervisor, directive, accept=True, note="整改到位。")
    clue.refresh_from_db()
    assert not clue.is_open and directive.number in clue.close_note


def test_a_late_reply_is_escalated_once_to_the_head_and_the_supervisors_above(world, county_head):
    from zhifa.supervision.tasks import directive_escalation

    directive = issue(world, reply_workdays=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10), tick=True):
        directive_escalation()
        directive_escalation()
    alerts = Alert.objects.filter(code="directive_overdue")
    assert alerts.count() == 1 and directive.number in alerts.get().title
    from zhifa.workflow import services as workflow
    from zhifa.workflow.models import Notification

    workflow.dispatch_all()
    told = set(Notification.objects.filter(title__contains=directive.number, title__startswith=world.county_a.name).values_list("recipient_id", flat=True))
    assert {county_head.pk, world.city_supervisor.pk, world.province_supervisor.pk} <= told


def test_the_pages_and_the_api(world, county_head, client):
    client.force_login(world.city_supervisor)
    created = client.post("/api/v1/supervision/directives/", {
        "agency": world.county_a.pk, "kind": "correction", "subject": "处罚决定适用依据错误",
        "content": "经案卷评查，你局某案适用依据错误，建议依法自行纠正。", "basis": "行政处罚法第七十五条",
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["number"].startswith(f"{world.city_justice.short_name}纠〔")
    client.force_login(county_head)
    assert "待答复的监督文书" in client.get("/").content.decode()
    page = client.post(f"/supervision/directives/{pk}/", {"step": "reply", "reply-text": "已撤销原决定并重新作出处理，依据已更正。"})
    assert page.status_code == 302
    client.force_login(world.city_supervisor)
    reviewed = client.post(f"/api/v1/supervision/directives/{pk}/review/", {"accept": True, "note": "纠正到位。"}, content_type="application/json")
    assert reviewed.json()["status"] == "closed"
    for url in ("/supervision/directives/", "/supervision/directives/new/", f"/supervision/directives/{pk}/", "/supervision/directives/?status=nope"):
        assert client.get(url).status_code == 200
    client.force_login(world.officer_other)
    assert client.get(f"/supervision/directives/{pk}/").status_code == 404


def test_a_directive_edited_in_the_database_is_named(world):
    directive = issue(world)
    with maintenance():
        Directive.objects.filter(pk=directive.pk).update(due_date=directive.due_date + datetime.timedelta(days=30))
    assert any("监督文书" in p.message and "答复期限" in p.message for p in verification.verify(check_files=False).problems)
