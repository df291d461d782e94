"""A clue's life (交办 → 答复 → 办结) through services, pages, API and command; who may do what; who sees what."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases.tests.factories import case_in
from zhifa.ledger import verification
from zhifa.ledger.guard import maintenance
from zhifa.org import services as org
from zhifa.org.models import Credential
from zhifa.supervision import services
from zhifa.supervision.models import Clue, ClueStatus


@pytest.fixture
def clues(world):
    """A clue in 嘉兴市应急管理局 and one in 海盐县应急管理局: a case officer whose credential was suspended."""
    made = {}
    for agency in (world.city_a, world.county_a):
        case = case_in(world, agency)
        officer = case.officers.exclude(is_lead=True).first().person
        org.change_credential_status(world.admin, Credential.objects.get(person=officer), status="suspended", reason="暂扣")
    services.run_models(["officer_without_credential"])
    for clue in Clue.objects.filter(model="officer_without_credential"):
        made[clue.agency_id] = clue
    return made


def test_a_clue_is_assigned_answered_and_closed_on_the_ledger(world, clues):
    clue = clues[world.city_a.pk]
    with pytest.raises(PermissionDenied):
        services.assign(world.officer_a, clue, to=world.head_a)
    with pytest.raises(ValidationError, match="该执法主体"):
        services.assign(world.city_supervisor, clue, to=world.officer_county)
    services.assign(world.city_supervisor, clue, to=world.head_a, workdays_to_reply=5, note="请核实并更换承办人员。")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ASSIGNED and clue.due_date
    with pytest.raises(PermissionDenied):
        services.answer(world.officer_county, clue, outcome="corrected", text="已更换承办人员。")
    with pytest.raises(ValidationError, match="写明"):
        services.answer(world.head_a, clue, outcome="corrected", text="好")
    services.answer(world.head_a, clue, outcome="corrected", text="已更换承办人员，原承办人员已回避。")
    with pytest.raises(ValidationError, match="办结意见"):
        services.close(world.city_supervisor, clue, note="")
    services.close(world.city_supervisor, clue, note="整改到位。")
    clue.refresh_from_db()
    assert not clue.is_open and clue.closed_by == world.city_supervisor
    assert verification.verify(check_files=False).ok


def test_a_county_supervisor_never_sees_another_countys_clue(world, clues, client):
    from zhifa.core.roles import Role
    from zhifa.org.models import AgencyLevel
    from zhifa.org.tests import factories as f

    other_county = f.agency("平湖市司法局", region="330482", level=AgencyLevel.COUNTY, supervisory=True)
    outsider = f.person(other_county, Role.SUPERVISOR, full_name="孙亮")
    county_clue = clues[world.county_a.pk]
    client.force_login(outsider)
    assert county_clue.title not in client.get("/supervision/clues/").content.decode()
    assert client.get(f"/supervision/clues/{county_clue.pk}/").status_code == 404
    assert client.get(f"/api/v1/supervision/clues/{county_clue.pk}/").status_code == 404
    assert client.get("/api/v1/supervision/clues/").json()["count"] == 0
    with pytest.raises(PermissionDenied):
        services.close(outsider, county_clue, note="越权")
    client.force_login(world.city_supervisor)  # 嘉兴市司法局 sees its whole region, the county too
    listing = client.get("/supervision/clues/").content.decode()
    assert county_clue.title in listing and clues[world.city_a.pk].title in listing
    client.force_login(world.head_a)  # an agency's head sees its own clues only
    assert client.get("/api/v1/supervision/clues/").json()["count"] == 1


def test_the_pages_and_api_carry_the_whole_life(world, clues, client):
    clue = clues[world.city_a.pk]
    client.force_login(world.city_supervisor)
    page = client.post(f"/supervision/clues/{clue.pk}/", {"step": "assign", "assign-to": world.head_a.pk, "assign-workdays_to_reply": 10, "assign-note": ""})
    assert page.status_code == 302
    client.force_login(world.head_a)
    home = client.get("/").content.decode()
    assert "待答复的监督线索" in home
    answered = client.post(f"/api/v1/supervision/clues/{clue.pk}/answer/", {"outcome": "explained", "text": "该人员已于当日调离，案件已更换承办人员。"},
                           content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "explained"
    client.force_login(world.city_supervisor)
    closed = client.post(f"/api/v1/supervision/clues/{clue.pk}/close/", {"note": "情况属实。"}, content_type="application/json")
    assert closed.json()["is_open"] is False
    again = client.post(f"/api/v1/supervision/clues/{clue.pk}/close/", {"note": "再次"}, content_type="application/json")
    assert again.status_code == 400 and "已办结" in json.dumps(again.json(), ensure_ascii=False)
    for url in ("/supervision/models/", "/supervision/clues/?model=nope", "/supervision/clues/?agency=99999999999999999999", "/api/v1/supervision/models/"):
        assert client.get(url).status_code == 200


def test_a_clue_closed_in_the_database_is_named_by_ledger_verify(world, clues):
    clue = clues[world.city_a.pk]
    with maintenance():
        Clue.objects.filter(pk=clue.pk).update(is_open=False, status="closed")
    problems = [p.message for p in verification.verify(check_files=False).problems]
    assert any("监督线索" in m and "状态" in m for m in problems), problems


def test_the_command_runs_the_models_and_lists_open_clues(world, clues):
    from io import StringIO

    from django.core.management import CommandError, call_command

    call_command("supervision", "run", stdout=StringIO())
    out = StringIO()
    call_command("supervision", "run", stdout=out)  # the same situations: no new clue
    assert "新线索 0 条" in out.getvalue()
    with pytest.raises(CommandError, match="未办结"):
        call_command("supervision", "clues", stdout=StringIO())
    with pytest.raises(CommandError, match="没有这个问题模型"):
        call_command("supervision", "run", "--model", "nope")


def test_only_supervisors_and_administrators_run_the_models(world, client):
    with pytest.raises(PermissionDenied):
        services.run_models(actor=world.head_a)
    client.force_login(world.officer_a)
    assert client.post("/api/v1/supervision/models/run/").status_code == 403
    assert client.post("/supervision/models/run/").status_code == 403
    client.force_login(world.city_supervisor)
    assert client.post("/api/v1/supervision/models/run/").status_code == 200
