"""The rules of a lawful engine (issue: review for every procedure, hearing and defence rights, deadlines met by
the act), on dates that cross the 2026 New Year and Spring Festival holidays and their 调休 working weekends.

Each test travels to its date before the world is built, so time only moves forward (the ledger refuses a head
dated before the events it covers)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases import gates, selectors, services
from zhifa.cases.models import Case, CaseStatus, HearingThreshold, MajorMark
from zhifa.cases.tests.factories import open_penalty, world_with_partner
from zhifa.core.testing.timeline import at, travel
from zhifa.documents import services as docs
from zhifa.documents.tests.factories import PARTY, filled, make_document, serve_document
from zhifa.evidence.tests import factories as ef
from zhifa.ledger import verification
from zhifa.ledger.models import LedgerEvent
from zhifa.review import services as review
from zhifa.review.models import CHECKLIST

BASIS = "《危险化学品安全管理条例》第八十条第一款第三项"
ALL = {key: True for key, _ in CHECKLIST}



@pytest.fixture
def clock(db):
    with travel("2025-12-22") as traveller:
        yield traveller


@pytest.fixture
def w(clock, request):
    return world_with_partner(request)


def to_notice(w, *, fine="50000", kinds=("fine",), **open_kwargs):
    case = open_penalty(w, w.partner, **open_kwargs)
    make_document(w.officer_a, case, "filing_approval")
    services.move_case(w.officer_a, case, to="investigation")
    make_document(w.officer_a, case, "inspection_record")
    services.move_case(w.officer_a, case, to="investigation_end")
    make_document(w.officer_a, case, "investigation_report")
    services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=list(kinds), fine_amount=fine, legal_basis=BASIS)
    return services.move_case(w.officer_a, case, to="notice")


def fresh(case):
    return Case.objects.get(pk=case.pk)


# --- 2. hearing and defence rights -----------------------------------------------------------------


def test_hearing_request_period_runs_from_service_across_new_year(w, clock):
    case = to_notice(w, fine="150000")  # ≥ 100,000 for an organisation: a hearing right
    clock.move_to(at("2025-12-26"))
    notice = make_document(w.officer_a, case, "penalty_notice")
    assert not case.deadlines.filter(code="hearing_request").exists()  # nothing runs before the party has it
    with pytest.raises(ValidationError, match="尚未送达"):
        services.record_party_choice(w.officer_a, case, choice="hearing_requested")
    clock.move_to(at("2025-12-30"))
    serve_document(w.officer_a, notice, manner="post")  # signed for on Tuesday 30 December
    deadline = case.deadlines.get(code="hearing_request")
    # 31 Dec, Sun 4 Jan (调休 working day), 5, 6, 7 Jan: five working days from receipt, not from issue (5 Jan).
    assert deadline.start_date == dt.date(2025, 12, 30) and deadline.due_date == dt.date(2026, 1, 7)
    clock.move_to(at("2026-01-06"))
    services.record_party_choice(w.officer_a, case, choice="hearing_requested")
    assert fresh(case).hearing_requested and fresh(case).is_major  # 第五十八条: a hearing makes it major


def test_hearing_request_after_the_period_is_refused(w, clock):
    case = to_notice(w, fine="150000")
    notice = make_document(w.officer_a, case, "penalty_notice", serve="direct")
    clock.move_to(at("2026-01-08"))  # 22 Dec + 5 WD = 29 Dec
    with pytest.raises(ValidationError, match="已于 2025年12月29日 届满"):
        services.record_party_choice(w.officer_a, case, choice="hearing_requested")
    assert notice.services.get().manner == "direct"
    services.move_case(w.officer_a, case, to="statement")
    message = services.blockers(fresh(case), fresh(case).definition.transition("statement", "hearing"))
    assert any("届满" in m and "未申请听证" in m for m in message)


def test_no_hearing_right_is_said_so_not_that_the_period_has_passed(w):
    case = to_notice(w, fine="5000")
    make_document(w.officer_a, case, "penalty_notice", serve="direct")
    case = services.move_case(w.officer_a, case, to="statement")
    problems = services.blockers(case, case.definition.transition("statement", "hearing"))
    assert any("不属于应当告知听证权利" in p for p in problems) and not any("超过" in p or "届满" in p for p in problems)
    with pytest.raises(ValidationError, match="不属于应当告知听证权利"):
        services.record_party_choice(w.officer_a, case, choice="hearing_waived")


def test_public_notice_service_counts_thirty_days(w, clock):
    case = to_notice(w, fine="150000")
    notice = make_document(w.officer_a, case, "penalty_notice")
    with pytest.raises(ValidationError, match="公告的载体"):
        docs.record_service(w.officer_a, notice, manner="public_notice", act_on=dt.date(2025, 12, 22))
    with pytest.raises(ValidationError, match="见证人"):
        docs.record_service(w.officer_a, notice, manner="left", act_on=dt.date(2025, 12, 22))
    with pytest.raises(ValidationError, match="确认书"):
        docs.record_service(w.officer_a, notice, manner="electronic", act_on=dt.date(2025, 12, 22))
    with pytest.raises(ValidationError, match="签发日与今天之间"):
        docs.record_service(w.officer_a, notice, manner="direct", act_on=dt.date(2025, 12, 23))
    service = serve_document(w.officer_a, notice, manner="public_notice")
    assert service.served_on == dt.date(2026, 1, 21)  # 22 Dec + 30 days (民事诉讼法第九十五条)
    deadline = case.deadlines.get(code="hearing_request")
    assert deadline.start_date == dt.date(2026, 1, 21) and deadline.due_date == dt.date(2026, 1, 28)
    with pytest.raises(ValidationError, match="已登记送达"):
        serve_document(w.officer_a, notice)


def test_hearing_notice_seven_working_days_before_across_spring_festival_and_host_not_investigator(w, clock):
    case = to_notice(w, fine="150000")
    make_document(w.officer_a, case, "penalty_notice", serve="direct")
    services.record_party_choice(w.officer_a, case, choice="hearing_requested")
    case = services.move_case(w.officer_a, case, to="hearing")
    clock.move_to(at("2026-02-12"))  # Thursday before the Spring Festival holiday (15–23 Feb)
    hearing_notice = docs.draft_document(w.officer_a, case, doc_type="hearing_notice", content=filled("hearing_notice", hearing_at="2026-02-27"))
    with pytest.raises(ValidationError, match="最早 2026年02月28日"):  # 13, Sat 14 (调休), 24, 25, 26, 27, Sat 28 (调休)
        docs.issue_document(w.officer_a, hearing_notice)
    docs.update_draft(w.officer_a, hearing_notice, content={"hearing_at": "2026-02-28", "host": "张伟"})
    with pytest.raises(ValidationError, match="不得由本案调查人员担任（张伟"):
        docs.issue_document(w.officer_a, hearing_notice)
    docs.update_draft(w.officer_a, hearing_notice, content={"host": "法制科 陈静"})
    hearing_notice = docs.issue_document(w.officer_a, hearing_notice)
    clock.move_to(at("2026-02-13"))
    serve_document(w.officer_a, hearing_notice)  # served a day late: now the 28th is only six working days away
    clock.move_to(at("2026-02-28"))
    record = docs.draft_document(w.officer_a, case, doc_type="hearing_record", content=filled("hearing_record", hearing_at="2026-02-28"))
    with pytest.raises(ValidationError, match="2026年02月13日 送达，听证最早应在 2026年03月02日 举行"):
        docs.issue_document(w.officer_a, record)
    clock.move_to(at("2026-03-02"))
    docs.update_draft(w.officer_a, record, content={"hearing_at": "2026-03-02"})
    docs.issue_document(w.officer_a, record)
    docs.record_signature(w.officer_a, record, outcome="signed")
    assert services.move_case(w.officer_a, case, to="legal_review").stage == "legal_review"


def test_a_heavier_proposal_after_notice_needs_a_new_notice_and_never_follows_the_defence(w, clock):
    case = to_notice(w, fine="50000")
    notice = make_document(w.officer_a, case, "penalty_notice", serve="direct")
    assert fresh(case).notified_proposal["fine"] == "50000.00"
    text = notice.pdf_sm3 and docs.pdf_bytes(notice)
    assert text.startswith(b"%PDF")
    with pytest.raises(ValidationError, match="重于已告知的内容（罚款金额由已告知的 50000.00 元提高到 60000.00 元）"):
        services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="60000", legal_basis=BASIS)
    with pytest.raises(ValidationError, match="增加了处罚种类"):
        services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=["fine", "restriction"], fine_amount="50000",
                              legal_basis=BASIS)
    services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="40000", legal_basis=BASIS)  # lighter: fine
    services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="60000", legal_basis=BASIS,
                          renotify=True, reason="补充调查查明违法所得增加")
    case = services.move_case(w.officer_a, case, to="statement")
    make_document(w.officer_a, case, "statement_record")
    assert any("重于《行政处罚事先告知书》告知的内容" in b for b in services.blockers(fresh(case), fresh(case).definition.transition("statement", "decision")))
    # After the defence, no heavier proposal at all (第四十五条), renotify or not.
    with pytest.raises(ValidationError, match="陈述、申辩后不得加重处罚"):
        services.set_proposal(w.officer_a, case, outcome="penalty", penalty_kinds=["fine"], fine_amount="70000", legal_basis=BASIS,
                              renotify=True, reason="x")
    assert LedgerEvent.objects.filter(kind="cases.case.proposal_set", entry__contains="补充调查查明违法所得增加").exists()


def test_notice_states_penalty_basis_and_rights(w):
    case = open_penalty(w, w.partner)
    make_document(w.officer_a, case, "filing_approval")
    draft = docs.draft_document(w.officer_a, case, doc_type="penalty_notice", content=filled("penalty_notice"))
    problems = docs.issue_problems(draft)
    assert any("种类和数额" in p for p in problems) and any("依据" in p for p in problems)


def test_hearing_thresholds_are_data_per_region_sector_and_party_type(w):
    case = to_notice(w, fine="40000")
    assert not gates.hearing_right_applies(case)  # the default for organisations is 100,000
    HearingThreshold.objects.create(region_prefix="33", party_kind="organisation", fine_amount=Decimal("50000"), basis="浙江省规定")
    assert not gates.hearing_right_applies(fresh(case))
    HearingThreshold.objects.create(region_prefix="3304", sector="应急管理", party_kind="organisation", fine_amount=Decimal("30000"),
                                    basis="嘉兴市应急管理行政处罚较大数额标准")
    HearingThreshold.objects.create(region_prefix="3304", sector="市场监管", party_kind="organisation", fine_amount=Decimal("90000"), basis="x")
    assert gates.hearing_right_applies(fresh(case))
    assert gates.hearing_threshold(fresh(case), "organisation")[2] == "嘉兴市应急管理行政处罚较大数额标准"
    assert gates.hearing_threshold(fresh(case), "citizen")[0] == Decimal("5000")  # no row: the setting


# --- 1. legal review for every procedure --------------------------------------------------------------


def test_marked_major_by_hand_blocks_the_decision_until_review(w, clock):
    case = to_notice(w, fine="5000")
    with pytest.raises(ValidationError, match="理由"):
        services.mark_major(w.officer_a, case, ground="complex", reason=" ")
    services.mark_major(w.reviewer_a, case, ground="complex", reason="涉及危险化学品经营许可与消防两个法律关系")
    case = fresh(case)
    assert case.is_major and "案件情况疑难复杂" in case.major_reasons[0] and "李娜标记" in case.major_reasons[0]
    make_document(w.officer_a, case, "penalty_notice", serve="direct")
    case = services.move_case(w.officer_a, case, to="statement")
    make_document(w.officer_a, case, "statement_record")
    assert any("尚未送法制审核" in b for b in services.blockers(fresh(case), fresh(case).definition.transition("statement", "decision")))
    mark = MajorMark.objects.get(case=case)
    with pytest.raises(PermissionDenied, match="机关负责人"):
        services.unmark_major(w.officer_a, case, mark_id=mark.pk, reason="不复杂")
    with pytest.raises(ValidationError, match="理由"):
        services.unmark_major(w.head_a, case, mark_id=mark.pk, reason="")
    services.unmark_major(w.head_a, case, mark_id=mark.pk, reason="经研究，案情清楚，只涉及一个法律关系")
    assert not fresh(case).is_major
    kinds = set(LedgerEvent.objects.filter(object_id=str(case.pk)).values_list("kind", flat=True))
    assert {"cases.case.major_marked", "cases.case.major_unmarked"} <= kinds
    assert verification.verify(check_files=False).ok


@pytest.mark.parametrize("procedure,before,decision_doc,into", [
    ("permit", "examination", "permit_decision", "decision"),
    ("inspection", "onsite", "inspection_result", "result"),
    ("coercion_seizure", "approval", "seizure_decision", "enforcement"),
])
def test_every_procedure_that_decides_has_a_gated_review(w, procedure, before, decision_doc, into):
    case = services.open_case(w.officer_a, procedure_code=procedure, title="测试", source="inspection", parties=[PARTY], officers=[w.partner],
                              occurred_on=dt.date(2025, 12, 20))
    walk = {
        "permit": [("permit_application", "acceptance"), ("acceptance_notice", "examination")],
        "inspection": [("inspection_approval", "onsite")],
        "coercion_seizure": [],
    }[procedure]
    for doc, stage in walk:
        make_document(w.officer_a, case, doc)
        case = services.move_case(w.officer_a, case, to=stage)
    if procedure == "coercion_seizure":
        make_document(w.officer_a, case, "seizure_approval")
    if procedure == "inspection":
        make_document(w.officer_a, case, "inspection_record")
        ef.evidence(w.officer_a, b"video", name="执法记录仪.mp4", media_type="video/mp4", case=case, captured_at=timezone.now())
    services.mark_major(w.officer_a, case, ground="public_interest", reason="涉及城区供水安全")
    case = fresh(case)
    assert case.stage == before
    assert any("法制审核" in b for b in services.blockers(case, case.definition.transition(before, into)))
    early = docs.draft_document(w.officer_a, case, doc_type=decision_doc, content=filled(decision_doc))
    with pytest.raises(ValidationError, match="法制审核"):  # not issued early, outside the stage, either
        docs.issue_document(w.head_a, early)
    case = services.move_case(w.officer_a, case, to="legal_review")
    with pytest.raises(ValidationError, match="提交集体讨论只能在审核意见作出之后"):
        review.escalate(w.head_a, review.submit_for_review(w.officer_a, case), reason="直接讨论")
    task = case.review_tasks.get()
    review.decide_review(w.reviewer_a, task, outcome="passed", checklist=ALL, opinion="同意。")
    case = services.move_case(w.officer_a, case, to=into)
    assert case.stage == into
    assert docs.issue_document(w.head_a, early).number  # after the review it can issue


def test_a_review_opinion_cannot_be_made_outside_a_review_task(w):
    case = to_notice(w)
    with pytest.raises(ValidationError, match="审核任务中作出"):
        docs.draft_document(w.reviewer_a, case, doc_type="review_opinion", content={"opinion": "同意"})
    client = APIClient()
    client.force_authenticate(w.officer_a)
    response = client.post("/api/v1/documents/", {"case": case.pk, "doc_type": "review_opinion"}, format="json")
    assert response.status_code == 400 and "审核任务" in str(response.json())


def test_definitions_without_a_gated_review_are_refused():
    import json

    from zhifa.procedures.definitions import BUNDLED_DIR, validate

    permit = json.loads((BUNDLED_DIR / "permit.json").read_text(encoding="utf-8"))
    for t in permit["transitions"]:
        if t["to"] == "decision":
            t.pop("guards", None)
    assert any("review_passed_if_required" in e for e in validate(permit))
    permit["stages"] = [s for s in permit["stages"] if s["code"] != "legal_review"]
    permit["transitions"] = [t for t in permit["transitions"] if "legal_review" not in (t["from"], t["to"])]
    assert any("法制审核" in e for e in validate(permit))


# --- 3. deadlines are met by the act ----------------------------------------------------------------------


def test_deadlines_are_met_by_the_act_not_the_stage(w, clock):
    case = to_notice(w, fine="5000")
    make_document(w.officer_a, case, "penalty_notice", serve="direct")
    case = services.move_case(w.officer_a, case, to="statement")
    make_document(w.officer_a, case, "statement_record")
    case = services.move_case(w.officer_a, case, to="decision")  # entered on 22 December …
    assert case.deadlines.get(code="decision").met_on is None
    clock.move_to(at("2025-12-31"))
    decision = make_document(w.officer_a, case, "penalty_decision", issuer=w.head_a)  # … issued on 31 December
    deadline = case.deadlines.get(code="decision")
    assert deadline.met_on == dt.date(2025, 12, 31) and deadline.met_by == "issued:penalty_decision"
    service = case.deadlines.get(code="service")  # 7 WD from issue: 4 (调休), 5, 6, 7, 8, 9, 12 January
    assert service.start_date == dt.date(2025, 12, 31) and service.due_date == dt.date(2026, 1, 12) and service.met_on is None
    case = services.move_case(w.officer_a, case, to="service")
    assert case.deadlines.get(code="service").met_on is None  # entering 送达 is not serving
    clock.move_to(at("2026-01-05"))
    serve_document(w.officer_a, decision, manner="left")
    assert case.deadlines.get(code="service").met_on == dt.date(2026, 1, 5)
    payment = case.deadlines.get(code="payment")
    assert payment.start_date == dt.date(2026, 1, 5) and payment.due_date == dt.date(2026, 1, 20)


def test_excluded_periods_and_an_approved_extension_move_the_decision_limit(w, clock):
    case = open_penalty(w, w.partner)
    base = case.deadlines.get(code="decision").due_date
    assert base == dt.date(2026, 3, 22)  # 90 calendar days from 22 December
    with pytest.raises(ValidationError, match="只有以下期间"):
        services.pause_deadline(w.officer_a, case, code="decision", kind="other", start_date=dt.date(2025, 12, 22), reason="x")
    clock.move_to(at("2025-12-29"))
    services.pause_deadline(w.officer_a, case, code="decision", kind="appraisal", start_date=dt.date(2025, 12, 29), reason="委托省化工研究院鉴定")
    clock.move_to(at("2026-03-25"))
    assert not selectors.overdue(case.deadlines.all()).exists()  # the clock is stopped while the appraisal runs
    with pytest.raises(ValidationError, match="终止日应在起始日与今天之间"):
        services.resume_deadline(w.officer_a, case, code="decision", end_date=dt.date(2026, 3, 26))
    deadline = services.resume_deadline(w.officer_a, case, code="decision", end_date=dt.date(2026, 1, 9))
    assert deadline.excluded_days == 12 and deadline.due_date == dt.date(2026, 4, 3) and "已扣除不计入期限的 12 日" in deadline.rule
    with pytest.raises(PermissionDenied, match="机关负责人"):
        services.extend_deadline(w.officer_a, case, code="decision", reason="案情复杂")
    deadline = services.extend_deadline(w.head_a, case, code="decision", reason="涉案企业多，需补充调取账册")
    assert deadline.due_date == dt.date(2026, 5, 3) and deadline.extended_by == w.head_a
    assert verification.verify(check_files=False).ok


def test_limitation_period_is_checked_at_filing(w):
    with pytest.raises(ValidationError, match="二年内未被发现"):
        open_penalty(w, w.partner, occurred_on=dt.date(2023, 12, 20))
    with pytest.raises(ValidationError, match="应当填写违法行为发生日"):
        open_penalty(w, w.partner, occurred_on=None)
    # 5 years where life, health or safety was harmed; from the end of a continuing act; or with a stated reason.
    assert open_penalty(w, w.partner, occurred_on=dt.date(2023, 12, 20), serious_harm=True).serious_harm
    assert open_penalty(w, w.partner, occurred_on=dt.date(2023, 1, 1), is_continuing=True, act_ended_on=dt.date(2024, 6, 1)).number
    assert open_penalty(w, w.partner, occurred_on=dt.date(2023, 12, 22)).number  # two years end on 22 Dec 2025, today
    noted = open_penalty(w, w.partner, occurred_on=dt.date(2020, 1, 1), limitation_note="《税收征收管理法》第八十六条：五年")
    assert noted.limitation_note.startswith("《税收征收管理法》")


def test_preservation_needs_the_head_and_a_decision_within_seven_working_days(w, clock):
    case = open_penalty(w, w.partner)
    make_document(w.officer_a, case, "filing_approval")
    services.move_case(w.officer_a, case, to="investigation")
    clock.move_to(at("2025-12-29"))
    draft = docs.draft_document(w.officer_a, case, doc_type="preservation_notice", content=filled("preservation_notice"))
    with pytest.raises(PermissionDenied, match="机关负责人"):
        docs.issue_document(w.officer_a, draft)
    docs.issue_document(w.head_a, draft)
    deadline = case.deadlines.get(code="preservation")  # 30, 31 Dec, Sun 4 Jan (调休), 5, 6, 7, 8 Jan
    assert deadline.due_date == dt.date(2026, 1, 8)
    clock.move_to(at("2026-01-09"))
    assert list(selectors.overdue(case.deadlines.all())) == [deadline]
    make_document(w.officer_a, case, "preservation_decision", issuer=w.head_a)
    assert case.deadlines.get(code="preservation").met_on == dt.date(2026, 1, 9)


def decided(w, clock, fine="10000"):
    case = to_notice(w, fine=fine)
    make_document(w.officer_a, case, "penalty_notice", serve="direct")
    case = services.move_case(w.officer_a, case, to="statement")
    make_document(w.officer_a, case, "statement_record")
    case = services.move_case(w.officer_a, case, to="decision")
    decision = make_document(w.officer_a, case, "penalty_decision", issuer=w.head_a)
    case = services.move_case(w.officer_a, case, to="service")
    serve_document(w.officer_a, decision)
    return services.move_case(w.officer_a, case, to="execution")


def test_closing_needs_the_report_and_the_fine_paid_with_late_fee(w, clock):
    case = decided(w, clock)
    assert case.deadlines.get(code="payment").due_date == dt.date(2026, 1, 6)  # 22 Dec + 15 d = 6 Jan
    make_document(w.officer_a, case, "closing_report")
    with pytest.raises(ValidationError, match="罚款尚未缴清（尚欠 10000.00 元"):
        services.move_case(w.officer_a, case, to="closed")
    clock.move_to(at("2026-01-16"))  # ten days late: 3 % × 10,000 × 10 = 3,000
    assert services.late_fee(case, dt.date(2026, 1, 16)) == Decimal("3000.00")
    with pytest.raises(ValidationError, match="罚缴分离"):
        services.record_payment(w.officer_a, case, paid_on=dt.date(2026, 1, 16), amount="10000", receipt_number=" ")
    with pytest.raises(ValidationError, match="超过应缴金额"):
        services.record_payment(w.officer_a, case, paid_on=dt.date(2026, 1, 16), amount="13000.01", receipt_number="R1")
    services.record_payment(w.officer_a, case, paid_on=dt.date(2026, 1, 16), amount="10000", receipt_number="3304-2026-0001")
    clock.move_to(at("2026-02-24"))
    assert services.amount_outstanding(fresh(case)) == Decimal("3000.00")  # the fine is paid: the surcharge stops growing
    with pytest.raises(ValidationError, match="尚欠 3000.00 元"):
        services.move_case(w.officer_a, case, to="closed")
    services.record_payment(w.officer_a, case, paid_on=dt.date(2026, 2, 24), amount="3000", receipt_number="3304-2026-0002")
    case = services.move_case(w.officer_a, case, to="closed")
    assert case.status == CaseStatus.CLOSED and case.deadlines.get(code="payment").met_by == "paid"
    assert verification.verify(check_files=False).ok


def test_late_fee_never_exceeds_the_fine_and_enforcement_closes_too(w, clock):
    case = decided(w, clock, fine="2000")
    clock.move_to(at("2026-12-01"))
    assert services.late_fee(fresh(case), dt.date(2026, 12, 1)) == Decimal("2000.00")
    make_document(w.officer_a, case, "closing_report")
    make_document(w.officer_a, case, "enforcement_application")
    assert services.move_case(w.officer_a, case, to="closed").status == CaseStatus.CLOSED


def test_deferral_and_instalments_need_the_head(w, clock):
    case = decided(w, clock, fine="9000")
    with pytest.raises(PermissionDenied, match="机关负责人批准"):
        services.approve_payment_arrangement(w.officer_a, case, kind="instalments", schedule=[["2026-02-02", "4500"], ["2026-03-02", "4500"]], reason="经营困难")
    with pytest.raises(ValidationError, match="合计应等于罚款金额"):
        services.approve_payment_arrangement(w.head_a, case, kind="instalments", schedule=[["2026-02-02", "4500"]], reason="经营困难")
    services.approve_payment_arrangement(w.head_a, case, kind="instalments", schedule=[["2026-02-02", "4500"], ["2026-03-02", "4500"]],
                                         reason="受疫情影响经营困难，当事人书面申请")
    clock.move_to(at("2026-02-02"))
    services.record_payment(w.officer_a, case, paid_on=dt.date(2026, 2, 2), amount="4500", receipt_number="I-1")
    clock.move_to(at("2026-03-04"))  # second instalment two days late: 3 % × 4,500 × 2 = 270
    assert services.late_fee(fresh(case), dt.date(2026, 3, 4)) == Decimal("270.00")


# --- pages and API --------------------------------------------------------------------------------------


def test_the_rules_through_the_api(w, clock):
    api = APIClient()
    api.force_authenticate(w.officer_a)
    open_penalty(w, w.partner)  # so the case's ID differs from those of the marks and pauses it gets
    case = to_notice(w, fine="150000")
    notice = make_document(w.officer_a, case, "penalty_notice")
    response = api.post(f"/api/v1/documents/{notice.pk}/serve/", {"manner": "post", "act_on": "2025-12-22", "note": "EMS 11"}, format="json")
    assert response.status_code == 200 and response.json()["services"][0]["served_on"] == "2025-12-22"
    response = api.post(f"/api/v1/cases/{case.pk}/major-marks/", {"ground": "social_impact", "reason": "媒体关注"}, format="json")
    assert response.status_code == 200 and response.json()["is_major"] and response.json()["id"] == case.pk
    response = api.post(f"/api/v1/cases/{case.pk}/deadlines/pause/", {"code": "decision", "kind": "hearing", "start_date": "2025-12-22", "reason": "举行听证"}, format="json")
    assert response.status_code == 200 and response.json()["pauses"][0]["kind"] == "hearing"
    response = api.post(f"/api/v1/cases/{case.pk}/proposal/", {"outcome": "penalty", "penalty_kinds": ["fine"], "fine_amount": "200000", "legal_basis": BASIS}, format="json")
    assert response.status_code == 400 and "重新告知" in str(response.json())
    response = api.post(f"/api/v1/cases/{case.pk}/parties/", {"kind": "citizen", "name": "周国平", "address": "嘉兴市南湖区"}, format="json")
    assert response.status_code == 400 and "补充调查" in str(response.json())
    response = api.post("/api/v1/cases/", {"procedure_code": "penalty_general", "title": "旧案", "source": "complaint", "parties": [PARTY],
                                           "officers": [w.officer_a.pk, w.partner.pk], "occurred_on": "2023-01-01"}, format="json")
    assert response.status_code == 400 and "第三十六条" in str(response.json())
    clock.move_to(at("2026-01-05"))  # 22 Dec + 5 WD = 29 Dec: too late to ask for a hearing
    response = api.post(f"/api/v1/cases/{case.pk}/party-choice/", {"choice": "hearing_requested"}, format="json")
    assert response.status_code == 400 and "届满" in str(response.json())
    detail = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["deadlines"][0]["code"] and detail["history"][0]["stage_name"] == "立案"


def test_the_case_page_shows_the_rules_and_takes_several_parties(w, client):
    client.force_login(w.officer_a)
    response = client.post("/cases/new/", {
        "procedure_code": "penalty_general", "title": "共同违法案", "source": "complaint", "occurred_on": "2025-12-01",
        "party_kind": "organisation", "party_name": "甲公司", "party_address": "嘉兴市甲路 1 号",
        "party2_kind": "citizen", "party2_name": "乙某", "party2_address": "嘉兴市乙路 2 号",
        "party3_name": "丙某",  # incomplete third party: refused, nothing created
        "officers": [w.officer_a.pk, w.partner.pk],
    })
    assert response.status_code == 400 and "应当填写其类型" in response.content.decode() and not Case.objects.exists()
    response = client.post("/cases/new/", {
        "procedure_code": "penalty_general", "title": "共同违法案", "source": "complaint", "occurred_on": "2025-12-01",
        "party_kind": "organisation", "party_name": "甲公司", "party_address": "嘉兴市甲路 1 号",
        "party2_kind": "citizen", "party2_name": "乙某", "party2_address": "嘉兴市乙路 2 号",
        "officers": [w.officer_a.pk, w.partner.pk],
    })
    case = Case.objects.get()
    assert [p.name for p in case.parties.order_by("pk")] == ["甲公司", "乙某"]
    client.post(f"/cases/{case.pk}/parties/", {"kind": "citizen", "name": "丙某", "address": "嘉兴市丙路 3 号"})
    assert case.parties.count() == 3
    client.post(f"/cases/{case.pk}/major/", {"ground": "complex", "reason": "三名当事人，责任划分复杂"})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "三名当事人，责任划分复杂" in page and "登记不计入期限的期间" in page and "丙某" in page
    assert "<td>立案</td>" in page and "<td>filing</td>" not in page  # stage names, not codes
    assert "法制审核意见书" not in page.split('id="new-document"')[1].split("</form>")[0]  # not offered to an officer


def test_thresholds_are_maintained_by_administrators_on_the_page_api_and_cli(w, client):
    import io

    from django.core.management import call_command

    client.force_login(w.officer_a)
    assert "尚未设置" in client.get("/cases/hearing-thresholds/").content.decode()
    client.post("/cases/hearing-thresholds/", {"region_prefix": "33", "party_kind": "organisation", "fine_amount": "1", "basis": "x"})
    assert not HearingThreshold.objects.exists()  # an officer reads, never writes
    with pytest.raises(PermissionDenied):
        services.save_threshold(w.officer_a, party_kind="citizen", fine_amount="1", basis="x")
    client.force_login(w.admin)
    response = client.post("/cases/hearing-thresholds/", {"region_prefix": "330", "party_kind": "organisation", "fine_amount": "50000", "basis": "x"})
    assert response.status_code == 400 and "2、4 或 6 位数字" in response.content.decode()
    client.post("/cases/hearing-thresholds/", {"region_prefix": "33", "sector": "应急管理", "party_kind": "organisation", "fine_amount": "50000",
                                                "basis": "浙江省规定"})
    api = APIClient()
    api.force_authenticate(w.admin)
    response = api.post("/api/v1/hearing-thresholds/", {"region_prefix": "33", "sector": "应急管理", "party_kind": "organisation",
                                                        "fine_amount": "60000", "basis": "浙江省规定（修订）"}, format="json")
    assert response.status_code == 201 and HearingThreshold.objects.get().fine_amount == Decimal("60000")  # replaced, not added
    out = io.StringIO()
    call_command("cases", "threshold", "citizen", "3000", "--region", "3304", "--basis", "嘉兴市规定", stdout=out)
    assert "嘉兴市规定" in out.getvalue() and HearingThreshold.objects.count() == 2
    assert LedgerEvent.objects.filter(kind="cases.threshold.saved").count() == 3
