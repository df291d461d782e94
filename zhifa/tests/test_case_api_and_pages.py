"""The same case through the REST API, and the pages an officer uses; bad input gets Chinese 400s."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from zhifa.cases.models import Case
from zhifa.cases.tests.factories import team
from zhifa.documents.tests.factories import PARTY, filled


@pytest.fixture
def partner(world):
    return team(world)


def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_penalty_case_through_the_api(world, partner):
    officer = api(world.officer_a)
    response = officer.post("/api/v1/cases/", {
        "procedure_code": "penalty_general", "title": "未按规定储存危险化学品案", "source": "inspection",
        "parties": [PARTY], "officers": [world.officer_a.pk, partner.pk], "occurred_on": "2026-11-01",
    }, format="json")
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["stage"] == "filing" and case["next_steps"][0]["to"] == "investigation"
    assert "立案审批表" in case["next_steps"][0]["blockers"][0]

    blocked = officer.post(f"/api/v1/cases/{case['id']}/move/", {"to": "investigation"}, format="json")
    assert blocked.status_code == 400 and "立案审批表" in str(blocked.json()["errors"])

    doc = officer.post("/api/v1/documents/", {"case": case["id"], "doc_type": "filing_approval", "content": {"case_summary": "摘要"}}, format="json").json()
    assert officer.post(f"/api/v1/documents/{doc['id']}/issue/").status_code == 403  # the head approves a 审批表
    refused = officer.post(f"/api/v1/documents/{doc['id']}/request-issue/", {}, format="json")
    assert refused.status_code == 400 and "未填写" in str(refused.json())
    assert officer.patch(f"/api/v1/documents/{doc['id']}/", {"content": filled("filing_approval")}, format="json").status_code == 200
    sent = officer.post(f"/api/v1/documents/{doc['id']}/request-issue/", {"note": "请批准立案"}, format="json").json()
    approved = api(world.head_a).post(f"/api/v1/approvals/{sent['id']}/decide/", {"approve": True, "opinion": "同意立案。"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    issued = officer.get(f"/api/v1/documents/{doc['id']}/").json()
    assert issued["number"].endswith("号") and issued["status"] == "issued" and issued["issued_by"] == world.head_a.pk
    pdf = officer.get(f"/api/v1/documents/{doc['id']}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    moved = officer.post(f"/api/v1/cases/{case['id']}/move/", {"to": "investigation"}, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == "investigation"
    proposal = officer.post(f"/api/v1/cases/{case['id']}/proposal/", {"outcome": "penalty", "penalty_kinds": ["fine"], "fine_amount": "abc"}, format="json")
    assert proposal.status_code == 400 and "未作任何修改" in proposal.json()["detail"]
    assert api(world.officer_other).get(f"/api/v1/cases/{case['id']}/").status_code == 404
    assert api(world.city_supervisor).get("/api/v1/cases/").json()["results"][0]["number"] == case["number"]


def test_bad_open_requests_change_nothing(world, partner):
    officer = api(world.officer_a)
    for body in (
        {"procedure_code": "nope", "title": "x", "source": "inspection", "parties": [PARTY], "officers": [partner.pk]},
        {"procedure_code": "penalty_general", "title": "x", "source": "rumour", "parties": [PARTY], "officers": [partner.pk]},
        {"procedure_code": "penalty_general", "title": "x", "source": "inspection", "parties": [], "officers": [partner.pk]},
        {"procedure_code": "penalty_general", "title": "x", "source": "inspection", "parties": [PARTY], "officers": [world.officer_other.pk]},
    ):
        response = officer.post("/api/v1/cases/", body, format="json")
        assert response.status_code == 400, body
        assert "未作任何修改" in response.json()["detail"]
    assert not Case.objects.exists()


def test_officer_opens_and_moves_a_case_on_the_pages(client, world, partner):
    client.force_login(world.officer_a)
    form = client.get("/cases/new/").content.decode()
    assert "行政处罚普通程序" in form and "吴磊" in form
    response = client.post("/cases/new/", {
        "procedure_code": "penalty_general", "title": "消防通道堵塞案", "source": "complaint", "party_kind": "organisation",
        "party_name": PARTY["name"], "party_address": PARTY["address"], "officers": [world.officer_a.pk, partner.pk],
        "occurred_on": "2026-11-01",
    })
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "下一步" in page and "立案审批表" in page and "<svg" in page and "作出处罚决定" in page
    response = client.post(f"/cases/{case.pk}/move/", {"to": "investigation"}, follow=True)
    assert "立案审批表" in response.content.decode() and Case.objects.get().stage == "filing"
    response = client.post(f"/documents/new/{case.pk}/", {"doc_type": "filing_approval"})
    doc_url = response.url
    client.post(doc_url, filled("filing_approval"))
    response = client.post(doc_url + "request-issue/", {"note": "请批准立案"}, follow=True)
    assert "已送机关负责人审批" in response.content.decode()
    from zhifa.workflow.models import Approval

    client.force_login(world.head_a)
    client.post(f"/approvals/{Approval.objects.get().pk}/", {"decision": "approve", "opinion": "同意立案。"})
    client.force_login(world.officer_a)
    client.post(f"/cases/{case.pk}/move/", {"to": "investigation"})
    assert Case.objects.get().stage == "investigation"
    bad = client.post("/cases/new/", {"procedure_code": "penalty_general", "title": "", "party_kind": "x"})
    assert bad.status_code == 400 and "未作任何修改" in bad.content.decode()


def test_overdue_command_exits_non_zero(world, partner):
    from django.utils import timezone

    from zhifa.cases.tests.factories import open_penalty

    case = open_penalty(world, partner)
    out = io.StringIO()
    call_command("cases", "overdue", stdout=out)
    assert "没有超期" in out.getvalue()
    case.deadlines.filter(code="decision").update(due_date=timezone.localdate() - timezone.timedelta(days=2))
    with pytest.raises(CommandError) as exc:
        call_command("cases", "overdue", stdout=io.StringIO())
    assert exc.value.returncode == 1
    out = io.StringIO()
    call_command("cases", "--as", "officer_a", "show", case.number, stdout=out)
    assert "作出处罚决定" in out.getvalue()


def test_paging_keeps_the_search_and_filters(client, world, partner):
    from zhifa.cases.tests.factories import open_penalty

    for _ in range(31):
        open_penalty(world, partner)
    client.force_login(world.officer_a)
    page = client.get("/cases/", {"q": "危险化学品", "status": "open"}).content.decode()
    assert "第 1 / 2 页" in page and "?q=%E5%8D%B1%E9%99%A9%E5%8C%96%E5%AD%A6%E5%93%81&amp;status=open&amp;page=2" in page
