"""Documents drafted, issued, signed and served through the services, as an officer would."""

from django.utils import timezone

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.cases.samples import PARTY  # noqa: F401  (re-exported for the tests above documents)
from zhifa.cases.tests.factories import open_penalty
from zhifa.documents import services as docs
from zhifa.documents import specs
from zhifa.documents.samples import filled


def head_of(agency):
    """The agency's head (one is appointed when the test's agency has none)."""
    from zhifa.core.roles import Role
    from zhifa.org.models import Person
    from zhifa.org.tests import factories as f

    head = Person.objects.filter(agency=agency, role_assignments__role=Role.HEAD, is_active=True).first()
    return head or f.person(agency, Role.HEAD, full_name=f"{agency.short_name}负责人")


def issue(actor, doc, issuer=None):
    """Issue as the office does: a document the head signs is sent for approval and approved by the head (as
    `issuer`, default the agency's head); others are issued by `issuer` or the drafter."""
    from zhifa.core.roles import is_head_of
    from zhifa.workflow import approvals

    if doc.doc_type in docs.HEAD_SIGNS and not is_head_of(issuer or actor, doc.agency_id):
        head = issuer or head_of(doc.case.agency)
        approvals.decide(head, docs.request_issue(actor, doc), approve=True, opinion="同意。")
        doc.refresh_from_db()
        return doc
    return docs.issue_document(issuer or actor, doc)


def make_document(actor, case, doc_type, *, issuer=None, sign=True, serve=None, content=None):
    """Draft, issue (sent to the head for approval where the head signs), have the party sign where it signs,
    and, with `serve`, record its service that day ("direct", "post" …)."""
    doc = docs.draft_document(actor, case, doc_type=doc_type, content=filled(doc_type, **(content or {})))
    doc = issue(actor, doc, issuer)
    if sign and doc_type in specs.PARTY_SIGNS:
        doc = docs.record_signature(actor, doc, outcome="signed")
    if serve:
        serve_document(actor, doc, manner=serve)
    return doc


SERVICE_NOTES = {"post": "EMS 1190000000000", "electronic": "当事人签署电子送达地址确认书，送达至 zhengwu@example.cn", "left": ""}


def serve_document(actor, doc, *, manner="direct", on=None):
    extra = {"note": SERVICE_NOTES.get(manner, "")}
    if manner == "left":
        extra["witnesses"] = "村委会主任 王建国"
    if manner == "public_notice":
        extra["place"] = "嘉兴市应急管理局门户网站"
    return docs.record_service(actor, doc, manner=manner, act_on=on or timezone.localdate(), **extra)


def walk_to_statement(world, partner, **proposal):
    case = open_penalty(world, partner)
    make_document(world.officer_a, case, "filing_approval")
    services.move_case(world.officer_a, case, to="investigation")
    make_document(world.officer_a, case, "inspection_record")
    services.move_case(world.officer_a, case, to="investigation_end")
    make_document(world.officer_a, case, "investigation_report")
    services.set_proposal(world.officer_a, case, outcome="penalty", penalty_kinds=["fine"], legal_basis="《危险化学品安全管理条例》第八十条第一款第三项", **proposal)
    services.move_case(world.officer_a, case, to="notice")
    make_document(world.officer_a, case, "penalty_notice", serve="direct")
    services.move_case(world.officer_a, case, to="statement")
    make_document(world.officer_a, case, "statement_record")
    return Case.objects.get(pk=case.pk)


def statement_case_in(world, agency, **proposal):
    """A penalty case of `agency` walked to 陈述申辩, its fine proposed: ready for legal review or a decision."""
    from zhifa.cases.tests.factories import case_in, staff

    officer, _ = staff(world, agency)
    case = case_in(world, agency)
    make_document(officer, case, "filing_approval")
    services.move_case(officer, case, to="investigation")
    make_document(officer, case, "inspection_record")
    services.move_case(officer, case, to="investigation_end")
    make_document(officer, case, "investigation_report")
    services.set_proposal(officer, case, outcome="penalty", penalty_kinds=["fine"], legal_basis="《危险化学品安全管理条例》第八十条第一款第三项", **({"fine_amount": "60000"} | proposal))
    services.move_case(officer, case, to="notice")
    make_document(officer, case, "penalty_notice", serve="direct")
    services.move_case(officer, case, to="statement")
    make_document(officer, case, "statement_record")
    return Case.objects.get(pk=case.pk)


def onsite_decision_in(world, agency, party=None):
    """A 简易程序 case of `agency` decided on the spot: the issued 当场处罚决定书 (it prepares a publication)."""
    from zhifa.cases.tests.factories import staff

    officer, partner = staff(world, agency)
    case = services.open_case(officer, procedure_code="penalty_simple", title=f"{agency.short_name}违规动火作业", source="inspection",
                              parties=[party or PARTY], officers=[partner], occurred_on=timezone.localdate())
    services.set_proposal(officer, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="200", legal_basis="《浙江省消防条例》第五十一条")
    doc = docs.draft_document(officer, case, doc_type="onsite_penalty_decision", content=filled("onsite_penalty_decision"))
    return docs.issue_document(officer, doc)
