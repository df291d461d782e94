"""Document services, rule by rule: who writes and issues, what content a document may hold, what must be on a
decision before it issues, signatures and refusals, service and its manners. Refusals change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import case_in, staff
from zhifa.documents import services
from zhifa.documents.models import Document, DocumentStatus, Service
from zhifa.documents.samples import filled
from zhifa.ledger.models import LedgerEvent

TODAY = timezone.localdate


def unchanged(call, *args, match, error=ValidationError, **kwargs):
    before = (LedgerEvent.objects.count(), Document.objects.count(), Service.objects.count(),
              list(Document.objects.order_by("pk").values_list("status", "number", "signature")))
    with pytest.raises(error, match=match):
        call(*args, **kwargs)
    after = (LedgerEvent.objects.count(), Document.objects.count(), Service.objects.count(),
             list(Document.objects.order_by("pk").values_list("status", "number", "signature")))
    assert after == before


@pytest.fixture
def team(world):
    officer, partner = staff(world, world.city_a)
    return officer, partner, case_in(world, world.city_a)


def issued(officer, case, doc_type, **content):
    from zhifa.documents.tests.factories import issue

    doc = services.draft_document(officer, case, doc_type=doc_type, content=filled(doc_type, **content))
    return issue(officer, doc)


# --- drafting -------------------------------------------------------------------------------------------


def test_only_the_case_team_or_the_head_drafts(world, team):
    officer, partner, case = team
    unchanged(services.draft_document, world.officer_a, case, doc_type="filing_approval", content={},
              match="承办人员或机关负责人", error=PermissionDenied)
    unchanged(services.draft_document, world.city_supervisor, case, doc_type="filing_approval", content={},
              match="承办人员或机关负责人", error=PermissionDenied)
    assert services.draft_document(partner, case, doc_type="filing_approval", content={}).status == DocumentStatus.DRAFT


@pytest.mark.parametrize(
    "doc_type, content, message",
    [
        ("no_such_paper", {}, "未知的文书类型"),
        ("review_opinion", {"opinion": "同意"}, "由法制审核人员在审核任务中作出"),
        ("filing_approval", {"secret_field": "x"}, "该文书没有这些栏目：secret_field"),
        ("filing_approval", {"case_summary": 12}, "内容必须是文字"),
        ("filing_approval", {"case_summary": "字" * 20001}, "内容过长"),
    ],
)
def test_content_that_is_not_the_documents_is_refused(world, team, doc_type, content, message):
    officer, _, case = team
    unchanged(services.draft_document, officer, case, doc_type=doc_type, content=content, match=message)


def test_a_date_field_must_be_a_date(world, team):
    officer, _, case = team
    unchanged(services.draft_document, officer, case, doc_type="hearing_notice", content={"hearing_at": "下周三"}, match="应为日期")


def test_a_draft_changes_until_it_is_issued_then_never(world, team):
    officer, _, case = team
    doc = services.draft_document(officer, case, doc_type="inspection_record", content={})
    doc = services.update_draft(officer, doc, content=filled("inspection_record"))
    change = LedgerEvent.objects.filter(kind="documents.document.updated").latest("seq").parsed["data"]["changes"]
    assert "content" in change
    doc = services.issue_document(officer, doc)
    unchanged(services.update_draft, officer, doc, content={}, match="已签发，不能修改")
    unchanged(services.issue_document, officer, doc, match="文书已签发")


# --- issuing --------------------------------------------------------------------------------------------


def test_a_document_with_required_fields_missing_is_not_issued(world, team):
    officer, _, case = team
    doc = services.draft_document(officer, case, doc_type="inspection_record", content={})
    unchanged(services.issue_document, officer, doc, match="未填写")
    form = services.draft_document(officer, case, doc_type="filing_approval", content={})
    unchanged(services.request_issue, officer, form, match="未填写")  # nor sent to the head


def test_the_officer_cannot_issue_an_approval_form_nor_type_the_heads_approval(world, team):
    officer, _, case = team
    unchanged(services.draft_document, officer, case, doc_type="filing_approval", content={"approver_opinion": "同意立案"}, match="没有这些栏目")
    form = services.draft_document(officer, case, doc_type="filing_approval", content=filled("filing_approval"))
    unchanged(services.issue_document, officer, form, match="须由机关负责人签发", error=PermissionDenied)


def test_numbers_carry_agency_type_and_year_and_every_issue_is_on_the_ledger(world, team):
    officer, _, case = team
    first = issued(officer, case, "filing_approval")  # sent to the head and approved: issued in the head's name
    assert first.number.startswith(world.city_a.short_name) and str(TODAY().year) in first.number
    assert first.pdf_sm3 and first.pdf_size > 0 and first.issued_by == world.head_a and first.issued_on == TODAY()
    event = LedgerEvent.objects.filter(kind="documents.document.issued").latest("seq")
    assert event.parsed["data"]["number"] == first.number and event.parsed["data"]["pdf_sm3"] == first.pdf_sm3


def test_a_decision_needs_the_head_and_what_article_59_requires(world, team):
    officer, _, case = team
    decision = services.draft_document(officer, case, doc_type="penalty_decision", content=filled("penalty_decision"))
    unchanged(services.issue_document, officer, decision, match="须由机关负责人签发", error=PermissionDenied)
    unchanged(services.issue_document, world.head_a, decision, match="第五十九条第三项")


def test_a_notice_states_the_proposed_penalty(world, team):
    officer, _, case = team
    notice = services.draft_document(officer, case, doc_type="penalty_notice", content=filled("penalty_notice"))
    unchanged(services.issue_document, officer, notice, match="告知书应当载明拟作出的行政处罚种类和数额")
    cases.set_proposal(officer, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="3000", legal_basis="某条例第十条")
    assert services.issue_document(officer, notice).status == DocumentStatus.ISSUED


# --- signatures -----------------------------------------------------------------------------------------


def test_signature_rules(world, team):
    officer, _, case = team
    record = issued(officer, case, "inspection_record")
    approval = issued(officer, case, "filing_approval")
    unchanged(services.record_signature, officer, approval, outcome="signed", match="不需要当事人签名")
    unchanged(services.record_signature, officer, record, outcome="maybe", match="签名情况无效")
    unchanged(services.record_signature, officer, record, outcome="refused", note=" ", match="应当注明拒绝的情况")
    unchanged(services.record_signature, officer, record, outcome="absent", match="应当由见证人签名")
    unchanged(services.record_signature, officer, record, outcome="signed", signed_on=TODAY() + dt.timedelta(days=1), match="签发日期与今天之间")
    unchanged(services.record_signature, world.officer_other, record, outcome="signed", match="承办人员或机关负责人", error=PermissionDenied)
    done = services.record_signature(officer, record, outcome="absent", witness="村委会主任 王建国")
    assert done.signature == "absent" and done.witness == "村委会主任 王建国"
    unchanged(services.record_signature, officer, done, outcome="signed", match="已登记签名情况")


def test_a_statement_record_has_no_witness_signature(world, team):
    officer, _, case = team
    statement = issued(officer, case, "statement_record")
    unchanged(services.record_signature, officer, statement, outcome="absent", witness="路人", match="不适用见证人签名")


def test_a_draft_is_not_signed_or_served(world, team):
    officer, _, case = team
    draft = services.draft_document(officer, case, doc_type="inspection_record", content=filled("inspection_record"))
    unchanged(services.record_signature, officer, draft, outcome="signed", match="签发后才能登记签名")
    unchanged(services.record_service, officer, draft, manner="direct", act_on=TODAY(), match="签发后才能送达")


# --- service --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "manner, extra, message",
    [
        ("pigeon", {}, "送达方式无效"),
        ("left", {}, "留置送达应当注明拒收事由"),
        ("electronic", {}, "电子送达须经受送达人同意"),
        ("public_notice", {}, "公告送达应当注明公告的载体"),
        ("post", {}, "邮寄送达应当注明邮件单号"),
        ("direct", {"note": "\u202e伪装"}, "控制字符"),
    ],
)
def test_each_manner_of_service_needs_its_record(world, team, manner, extra, message):
    officer, _, case = team
    approval = issued(officer, case, "filing_approval")
    unchanged(services.record_service, officer, approval, manner=manner, act_on=TODAY(), **extra, match=message)


def test_service_dates_and_a_second_service(world, team):
    officer, _, case = team
    approval = issued(officer, case, "filing_approval")
    unchanged(services.record_service, officer, approval, manner="direct", act_on=TODAY() + dt.timedelta(days=1), match="签发日与今天之间")
    unchanged(services.record_service, officer, approval, manner="direct", act_on=TODAY() - dt.timedelta(days=1), match="签发日与今天之间")
    unchanged(services.record_service, officer, approval, manner="direct", act_on=None, match="签发日与今天之间")
    service = services.record_service(officer, approval, manner="direct", act_on=TODAY())
    assert service.served_on == TODAY() and service.recipient == "嘉兴市禾丰化工贸易有限公司"
    unchanged(services.record_service, officer, approval, manner="direct", act_on=TODAY(), match="已登记送达")


def test_public_notice_counts_as_served_thirty_days_later(world, team):
    officer, _, case = team
    approval = issued(officer, case, "filing_approval")
    service = services.record_service(officer, approval, manner="public_notice", act_on=TODAY(), place="嘉兴市应急管理局门户网站")
    assert service.served_on == TODAY() + dt.timedelta(days=30)


def test_the_pdf_is_the_stored_bytes_and_their_hash(world, team):
    import hashlib

    officer, _, case = team
    doc = issued(officer, case, "filing_approval")
    data = services.pdf_bytes(doc)
    assert data.startswith(b"%PDF") and hashlib.new("sm3", data).hexdigest() == doc.pdf_sm3
