"""Approvals routed to the head: the officer sends a decision, the head approves it as themselves (issued, signed and
printed with the head's name and opinion) or returns it with reasons; everyone concerned is told; nobody types or
gives another person's approval; 待办 shows each person their share."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import staff
from zhifa.documents import services as docs
from zhifa.documents.models import DocumentStatus
from zhifa.documents.samples import filled
from zhifa.documents.tests.factories import statement_case_in
from zhifa.ledger.models import LedgerEvent
from zhifa.workflow import approvals, services
from zhifa.workflow.models import Approval, Notification


@pytest.fixture
def draft(world):
    officer, _ = staff(world, world.city_a)
    case = cases.move_case(officer, statement_case_in(world, world.city_a, fine_amount="3000"), to="decision")
    return officer, docs.draft_document(officer, case, doc_type="penalty_decision", content=filled("penalty_decision"))


def pdf_text(document, tmp_path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(docs.pdf_bytes(document))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def titles(person):
    return list(Notification.objects.filter(recipient=person).order_by("id").values_list("title", flat=True))


def test_the_head_approves_and_the_decision_is_issued_in_the_heads_name(world, draft, tmp_path):
    officer, doc = draft
    with pytest.raises(PermissionDenied, match="须由机关负责人签发"):
        docs.issue_document(officer, doc)
    approval = docs.request_issue(officer, doc, note="请审批")
    services.dispatch_all()
    assert f"待审批：{approval.title}" in titles(world.head_a)
    with pytest.raises(ValidationError, match="审批前不能修改"):
        docs.update_draft(officer, doc, content={"facts": "改过的事实"})
    with pytest.raises(ValidationError, match="已送机关负责人审批"):
        docs.request_issue(officer, doc)

    done = approvals.decide(world.head_a, approval, approve=True, opinion="同意，按拟定意见处罚。")
    doc.refresh_from_db()
    assert done.status == Approval.Status.APPROVED and done.decided_by == world.head_a
    assert doc.status == DocumentStatus.ISSUED and doc.issued_by == world.head_a and doc.number
    text = pdf_text(doc, tmp_path)
    assert "机关负责人批准：王强" in text and "同意，按拟定意见处罚。" in text
    decided = LedgerEvent.objects.filter(kind="workflow.approval.decided").latest("seq")
    assert decided.actor_id == world.head_a.pk and decided.parsed["data"]["status"] == "approved"
    assert LedgerEvent.objects.filter(kind="documents.document.issued", actor_id=world.head_a.pk).exists()
    services.dispatch_all()
    assert titles(officer)[-1] == f"已批准：{approval.title}"


def test_a_returned_request_stays_a_draft_with_the_heads_reasons_and_can_be_sent_again(world, draft):
    officer, doc = draft
    approval = docs.request_issue(officer, doc)
    with pytest.raises(ValidationError, match="退回时请写明"):
        approvals.decide(world.head_a, approval, approve=False, opinion="  ")
    approvals.decide(world.head_a, approval, approve=False, opinion="罚款数额与裁量基准不符，请核实。")
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT
    services.dispatch_all()
    assert titles(officer)[-1] == f"被退回：{approval.title}"
    docs.update_draft(officer, doc, content={"facts": "核实后的事实"})
    again = docs.request_issue(officer, doc)
    assert again.pk != approval.pk and again.status == Approval.Status.PENDING


def test_nobody_but_the_agencys_head_decides_and_not_on_their_own_request(world, draft):
    officer, doc = draft
    approval = docs.request_issue(officer, doc)
    for person in (officer, world.reviewer_a, world.city_supervisor, world.admin, world.officer_other):
        with pytest.raises(PermissionDenied, match="只有本机关的机关负责人"):
            approvals.decide(person, approval, approve=True)
    other_head = staff(world, world.other_city)[0]
    other_head.role_assignments.create(role="head")
    with pytest.raises(PermissionDenied):
        approvals.decide(other_head, approval, approve=True)
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.PENDING
    approvals.decide(world.head_a, approval, approve=True)
    with pytest.raises(ValidationError, match="已批准"):
        approvals.decide(world.head_a, approval, approve=False, opinion="改主意")


def test_a_request_is_withdrawn_only_by_its_sender_while_pending(world, draft):
    officer, doc = draft
    approval = docs.request_issue(officer, doc)
    with pytest.raises(PermissionDenied):
        approvals.cancel(world.head_a, approval)
    approvals.cancel(officer, approval)
    assert Approval.objects.get(pk=approval.pk).status == Approval.Status.CANCELLED
    docs.update_draft(officer, doc, content={"facts": "撤回后修改"})  # editable again


def test_a_document_the_officer_signs_is_not_sent_for_approval(world, draft):
    officer, doc = draft
    notice = docs.draft_document(officer, doc.case, doc_type="inquiry_record", content=filled("inquiry_record"))
    with pytest.raises(ValidationError, match="不需要送机关负责人审批"):
        docs.request_issue(officer, notice)


def test_a_decision_that_could_not_be_issued_is_not_sent(world):
    officer, _ = staff(world, world.city_a)
    case = cases.move_case(officer, statement_case_in(world, world.city_a, fine_amount="3000"), to="decision")
    doc = docs.draft_document(officer, case, doc_type="penalty_decision", content={})
    with pytest.raises(ValidationError):
        docs.request_issue(officer, doc)
    assert not Approval.objects.filter(subject_type="documents.document", subject_id=doc.pk).exists()


def test_the_pages_route_the_decision_and_the_todo_shows_it(client, world, draft):
    officer, doc = draft
    client.force_login(officer)
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert 'id="request-issue-form"' in page and 'id="issue-form"' not in page
    client.post(f"/documents/{doc.pk}/request-issue/", {"note": "请审批"})
    approval = Approval.objects.get(subject_type="documents.document", subject_id=doc.pk)
    assert "待审批" in client.get(f"/documents/{doc.pk}/").content.decode()
    assert "我送审待批的" in client.get("/").content.decode()

    client.force_login(world.head_a)
    home = client.get("/").content.decode()
    assert "待我审批" in home and f"/approvals/{approval.pk}/" in home
    assert client.post(f"/approvals/{approval.pk}/", {"decision": "return", "opinion": ""}).status_code == 400
    client.post(f"/approvals/{approval.pk}/", {"decision": "approve", "opinion": "同意。"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.ISSUED and doc.issued_by == world.head_a

    client.force_login(world.officer_other)
    assert client.get(f"/approvals/{approval.pk}/").status_code == 404


def test_the_approval_api(client, world, draft):
    officer, doc = draft
    client.force_login(officer)
    sent = client.post(f"/api/v1/documents/{doc.pk}/request-issue/", {"note": "请审批"}, content_type="application/json")
    assert sent.status_code == 201
    again = client.post(f"/api/v1/documents/{doc.pk}/request-issue/", {}, content_type="application/json")
    assert again.status_code == 400 and "已送机关负责人审批" in str(again.json())
    client.force_login(world.head_a)
    assert [a["subject_id"] for a in client.get("/api/v1/approvals/?status=pending").json()["results"]] == [doc.pk]
    bad = client.post(f"/api/v1/approvals/{sent.json()['id']}/decide/", {"approve": "maybe"}, content_type="application/json")
    assert bad.status_code == 400
    ok = client.post(f"/api/v1/approvals/{sent.json()['id']}/decide/", {"approve": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["opinion"] == "同意。"


def test_each_role_opens_on_its_own_work(client, world, draft):
    import datetime as dt

    import time_machine

    from zhifa.workflow.alerts import raise_alert

    officer, doc = draft
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert "我承办的在办案件" in home and doc.case.number in home
    raise_alert(code="deadline_overdue", key="k1", agency_id=world.city_a.pk, title="嘉兴某案超期")
    client.force_login(world.city_supervisor)
    assert "近七日辖区预警" in client.get("/").content.decode()
    from zhifa.workflow.todo import administration

    with time_machine.travel(dt.datetime(2031, 11, 20, 9, 0), tick=False):  # the session would have expired by then
        [group] = administration(world.admin)
    assert "2032 年放假安排尚未录入" in group.items[-1][0] and administration(world.officer_a) == []


def test_an_officer_asks_for_an_extension_and_the_heads_approval_extends_it_in_his_name(client, world):
    from zhifa.cases.tests.factories import case_in

    case = case_in(world, world.city_a)
    deadline = next(d for d in case.deadlines.all() if d.code in {s["code"] for s in case.definition.deadlines if s.get("extension")})
    officer = case.officers.first().person
    with pytest.raises(PermissionDenied, match="须经机关负责人批准"):
        cases.extend_deadline(officer, case, code=deadline.code, reason="案情复杂")
    with pytest.raises(ValidationError, match="说明理由"):
        cases.request_extension(officer, case, code=deadline.code, reason=" ")
    with pytest.raises(PermissionDenied):
        cases.request_extension(world.officer_other, case, code=deadline.code, reason="案情复杂")
    client.force_login(officer)
    client.post(f"/cases/{case.pk}/deadlines/request-extension/", {"code": deadline.code, "reason": "需补充调取三年出入库台账"})
    approval = Approval.objects.get(kind="cases.extend")
    assert approval.params == {"code": deadline.code, "reason": "需补充调取三年出入库台账"}
    approvals.decide(world.head_a, approval, approve=True, opinion="同意延长。")
    deadline.refresh_from_db()
    assert deadline.extended_days and deadline.extended_by == world.head_a and deadline.extension_reason == "需补充调取三年出入库台账"


def test_a_recusal_is_decided_by_the_head_and_the_case_keeps_two_certified_officers(client, world):
    from zhifa.cases.models import CaseOfficer
    from zhifa.cases.tests.factories import case_in
    from zhifa.core.roles import Role
    from zhifa.org.tests import factories as f

    case = case_in(world, world.city_a)
    leaving, staying = [o.person for o in case.officers.order_by("pk")]
    stand_in = f.person(world.city_a, Role.OFFICER, full_name="接替人")
    f.credential(stand_in, number="33040019999")
    with pytest.raises(ValidationError, match="写明回避的理由"):
        cases.request_recusal(staying, case, person=leaving, reason="")
    with pytest.raises(ValidationError, match="不是本案的承办人员"):
        cases.request_recusal(staying, case, person=world.officer_other, reason="亲属")
    client.force_login(staying)
    client.post(f"/cases/{case.pk}/recusal/", {"person": leaving.pk, "applicant": "party", "reason": "系当事人法定代表人的近亲属"})
    without = Approval.objects.get(kind="cases.recusal")
    with pytest.raises(ValidationError, match="请指定接替的执法人员"):
        approvals.decide(world.head_a, without, approve=True)  # one certified officer would remain: refused, nothing changed
    assert Approval.objects.get(pk=without.pk).status == Approval.Status.PENDING and case.officers.count() == 2
    approvals.decide(world.head_a, without, approve=False, opinion="请指定接替人员后重新申请。")
    again = cases.request_recusal(staying, case, person=leaving, reason="系当事人法定代表人的近亲属", replacement=stand_in)
    approvals.decide(world.head_a, again, approve=True, opinion="同意回避，由接替人承办。")
    assert set(CaseOfficer.objects.filter(case=case).values_list("person_id", flat=True)) == {staying.pk, stand_in.pk}
    event = LedgerEvent.objects.filter(kind="cases.case.officer_recused").get()
    assert event.actor_id == world.head_a.pk and event.parsed["data"]["person"] == leaving.pk


def test_a_draft_waiting_for_approval_offers_no_edit(client, world, draft):
    officer, doc = draft
    docs.request_issue(officer, doc)
    client.force_login(officer)
    page = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "保存草稿" not in page and 'id="request-issue-form"' not in page and "待审批" in page
    client.post(f"/documents/{doc.pk}/", {"facts": "改过的事实"})
    doc.refresh_from_db()
    assert doc.content.get("facts") != "改过的事实"
