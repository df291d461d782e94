"""Each problem model: the situation built through the services, the clue found once (not again on the next run),
and closed when the situation is put right (or, for an event, kept until a supervisor closes it)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhifa.cases import services as cases
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core.roles import Role
from zhifa.ledger import services as ledger
from zhifa.ledger import verification
from zhifa.org import services as org
from zhifa.org.models import Credential
from zhifa.org.tests import factories as f
from zhifa.supervision import detectors, services
from zhifa.supervision.models import Clue, ClueStatus


def today(days: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def run(code: str, days: int = 0) -> list[Clue]:
    services.run_models([code], today=today(days))
    return list(Clue.objects.filter(model=code, is_open=True).order_by("pk"))


def found_once(code: str, days: int = 0) -> list[Clue]:
    first = run(code, days)
    assert first, f"{code}: 没有发现线索"
    again = run(code, days)
    assert [c.pk for c in again] == [c.pk for c in first], f"{code}: 再次运行产生了新线索"
    return first


def closed_by_itself(code: str, days: int = 0):
    assert run(code, days) == []
    clue = Clue.objects.filter(model=code).order_by("-pk").first()
    assert clue.status == ClueStatus.CLOSED and clue.gone_at and "自动办结" in clue.close_note


def test_every_model_has_a_name_a_basis_and_a_test():
    from pathlib import Path

    text = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    for d in detectors.all_detectors():
        assert d.name and d.basis and d.severity in ("high", "medium", "low")
        assert f'"{d.code}"' in text, f"问题模型 {d.code} 没有测试"


def test_deadline_overdue(world):
    case = open_penalty(world, team(world))
    due = case.deadlines.get(code="decision").due_date
    days = (due - today()).days + 1
    [clue] = found_once("deadline_overdue", days)
    assert case.number in clue.title and clue.agency_id == world.city_a.pk
    cases.extend_deadline(world.head_a, case, code="decision", reason="案情复杂，需进一步调查取证")
    closed_by_itself("deadline_overdue", days)


def test_review_overdue(world):
    from zhifa.documents.tests.factories import walk_to_statement
    from zhifa.review import services as review
    from zhifa.review.models import Criterion
    from zhifa.review.tests.test_review import ALL

    partner = team(world)
    review.save_rule(world.admin, agency=world.city_a, name="罚款五万元以上", criterion=Criterion.FINE_AT_LEAST, amount=Decimal("50000"), basis="目录第一项")
    case = cases.move_case(world.officer_a, walk_to_statement(world, partner, fine_amount="60000"), to="legal_review")
    task = review.submit_for_review(world.officer_a, case)
    days = (task.due_date - today()).days + 1
    [clue] = found_once("review_overdue", days)
    assert case.number in clue.title
    review.decide_review(world.reviewer_a, task, outcome="passed", checklist=ALL, opinion="同意。")
    closed_by_itself("review_overdue", days)


def _decision(world):
    from zhifa.documents.tests.factories import onsite_decision_in
    from zhifa.publicity.models import Publication

    return Publication.objects.get(document=onsite_decision_in(world, world.city_a))


def test_publication_overdue(world):
    from zhifa.publicity import services as publicity

    publication = _decision(world)
    days = (publication.due_date - today()).days + 1
    [clue] = found_once("publication_overdue", days)
    assert publication.decision_number in clue.title
    publicity.release(world.head_a, publication)
    closed_by_itself("publication_overdue", days)


def test_withdrawal_overdue(world):
    from zhifa.publicity import services as publicity

    publication = publicity.release(world.head_a, _decision(world))
    publication = publicity.record_revocation(world.head_a, publication, trigger="revoked", trigger_date=today(),
                                              reason="嘉兴市人民政府行政复议决定撤销原处罚决定")
    days = (publication.withdrawal_due - today()).days + 1
    [clue] = found_once("withdrawal_overdue", days)
    publicity.withdraw(world.head_a, publication, reason="原处罚决定已被复议机关撤销")
    closed_by_itself("withdrawal_overdue", days)


def test_officer_without_credential_and_fewer_than_two_officers(world):
    partner = team(world)
    case = open_penalty(world, partner)
    credential = Credential.objects.get(person=partner)
    org.change_credential_status(world.admin, credential, status="suspended", reason="违反执法纪律，暂扣执法证")
    [clue] = found_once("officer_without_credential")
    assert "吴磊" in clue.title and case.number in clue.title
    [two] = found_once("fewer_than_two_officers")
    assert "只有 1 人" in two.title
    org.change_credential_status(world.admin, credential, status="valid", reason="暂扣期满，发还执法证")
    closed_by_itself("officer_without_credential")
    closed_by_itself("fewer_than_two_officers")


def test_reviewer_staffing(world):
    for n in range(22):
        f.person(world.city_a, Role.OFFICER, full_name=f"执法员{n}")
    clues = found_once("reviewer_staffing")
    [clue] = [c for c in clues if c.agency_id == world.city_a.pk]
    assert "5%" in clue.title and world.city_a.name in clue.title
    f.person(world.city_a, Role.REVIEWER, full_name="新任审核员", has_legal_qualification=True)
    assert clue.pk not in [c.pk for c in run("reviewer_staffing")]
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CLOSED and "自动办结" in clue.close_note


def test_inspection_cap_exceeded(world):
    from zhifa.inspections import services as inspections
    from zhifa.inspections.models import RiskClass
    from zhifa.inspections.tests import factories as fx

    item = fx.item(world)
    fx.rules(world, item, ratios={RiskClass.HIGH: ("100", 2)})
    fx.targets(world, {RiskClass.HIGH: 3})
    fx.inspectors(world, 2)
    for n in (1, 2):
        plan = fx.plan(world, item, title=f"第{n}轮")
        inspections.commit_plan(world.admin, plan)
        inspections.enter_seed(world.admin, plan, str(n))
    assert run("inspection_cap_exceeded") == []  # twice each, the default cap
    inspections.set_cap(world.admin, year=today().year, limit=1, basis="本省规定每年一次")
    clues = found_once("inspection_cap_exceeded")
    assert len(clues) == 3 and "超过上限 1 次" in clues[0].title
    inspections.set_cap(world.admin, year=today().year, limit=2, basis="本省规定每年两次")
    closed_by_itself("inspection_cap_exceeded")


def test_inspection_result_overdue(world):
    from zhifa.inspections import services as inspections
    from zhifa.inspections.tests import factories as fx

    plan, _ = fx.drawn(world)
    clues = found_once("inspection_result_overdue", 90)
    assert len(clues) == plan.tasks.count()
    for task in plan.tasks.all():
        inspections.record_result(world.head_a, task, outcome="not_found", checked_on=today(), note="经营场所查无下落")
    closed_by_itself("inspection_result_overdue", 90)


def test_evidence_access_burst_stays_until_a_supervisor_closes_it(world, settings):
    from zhifa.evidence import services as evidence
    from zhifa.evidence.tests import factories as ef

    settings.ZHIFA_SUPERVISION_ACCESS_PER_DAY = 3
    item = ef.evidence(world.officer_a, data=b"photo", title="现场照片")
    for _ in range(4):
        evidence.record_access(world.officer_a, item, action="view", channel="web", reason="办案需要")
    [clue] = found_once("evidence_access_burst")
    assert "张伟" in clue.title and "4 次" in clue.title
    assert [c.pk for c in run("evidence_access_burst", 10)] == [clue.pk]  # what happened does not go away
    services.close(world.city_supervisor, clue, note="经核实为办理集体讨论准备材料，调阅事由属实。")
    assert run("evidence_access_burst") == []  # closed: that day's accesses are not a clue again
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CLOSED and clue.closed_by == world.city_supervisor


def test_ledger_verification_failed(world):
    report = verification.Report()
    report.problem("state", "人员“张伟”的“角色”与账本记载不符。")
    with transaction.atomic():
        ledger.record_verification(report, checked_files=False)
    [clue] = found_once("ledger_verification_failed")
    assert clue.agency_id is None and "1 处问题" in clue.title
    with transaction.atomic():
        ledger.record_verification(verification.Report(), checked_files=False)
    closed_by_itself("ledger_verification_failed")


def test_docs_list_every_model():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "supervision.md").read_text(encoding="utf-8")
    for d in detectors.all_detectors():
        assert f"`{d.code}` | {d.name} |" in text, f"docs/supervision.md 没有列出问题模型 {d.code}"


def test_credential_expiring(world):
    partner = team(world)
    open_penalty(world, partner)
    credential = Credential.objects.get(person=partner)
    days = (credential.valid_until - today()).days - 10  # seen from ten days before it expires
    clues = found_once("credential_expiring", days)
    assert {c.title[:2] for c in clues} == {"张伟", "吴磊"} and clues[0].severity == "low"
    for person in (world.officer_a, partner):  # both renewed: a new credential from the day the old one ends
        f.credential(person, valid_from=credential.valid_until, valid_until=credential.valid_until.replace(year=credential.valid_until.year + 5))
    closed_by_itself("credential_expiring", days)


def test_powers_list_missing_and_inspection_list_missing(world):
    from zhifa.inspections.tests import factories as fx
    from zhifa.powers import services as powers

    for code, kind in (("powers_list_missing", "powers"), ("inspection_list_missing", "inspections")):
        clues = found_once(code)
        [clue] = [c for c in clues if c.agency_id == world.city_a.pk]
        if kind == "powers":
            powers.save_item(world.admin, world.city_a, list_kind="powers", code="330400-CF-001", name="对未按规定储存危险化学品的行政处罚",
                             fields={"category": "行政处罚", "basis": "《危险化学品安全管理条例》第八十条"}, note="首次公开")
        else:
            fx.item(world)
        assert clue.pk not in [c.pk for c in run(code)]
        assert Clue.objects.get(pk=clue.pk).status == ClueStatus.CLOSED


def test_annual_report_late(world):
    import time_machine

    from zhifa.publicity import services as publicity

    year = today().year
    assert not [c for c in run("annual_report_late") if str(year) in c.title]
    with time_machine.travel(datetime.datetime(year + 1, 2, 2, 9, 0, tzinfo=timezone.get_current_timezone()), tick=True):
        clues = found_once("annual_report_late")
        [clue] = [c for c in clues if c.agency_id == world.city_a.pk]
        assert f"{year} 年度" in clue.title
        publicity.generate_annual_report(world.head_a, world.city_a, year)
        assert clue.pk not in [c.pk for c in run("annual_report_late")]


def test_plan_not_drawn(world):
    from zhifa.inspections import services as inspections
    from zhifa.inspections.tests import factories as fx

    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    [clue] = found_once("plan_not_drawn", 1)
    assert plan.number in clue.title
    inspections.commit_plan(world.admin, plan)
    assert [c.pk for c in run("plan_not_drawn", 1)] == [clue.pk]  # frozen is not drawn
    inspections.enter_seed(world.admin, plan, "5")
    closed_by_itself("plan_not_drawn", 1)


def test_evidence_after_decision_stays_until_closed(world):
    import time_machine

    from zhifa.documents.tests.factories import onsite_decision_in
    from zhifa.evidence.tests import factories as ef

    document = onsite_decision_in(world, world.city_a)
    case = document.case
    officer = case.officers.first().person
    assert run("evidence_after_decision") == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=True):
        ef.evidence(officer, data=b"later photo", title="补拍的现场照片", case=case,
                    captured_at=timezone.now() - datetime.timedelta(days=2, hours=1))
        [clue] = found_once("evidence_after_decision", 2)
        assert case.number in clue.title and "补拍的现场照片" in clue.title
        services.close(world.city_supervisor, clue, note="经核实，照片系决定前拍摄、事后上传，已责令改正上传流程。")
        assert run("evidence_after_decision", 2) == []


def test_inactive_officer_on_open_case(world):
    partner = team(world)
    case = open_penalty(world, partner)
    org.update_person(world.admin, partner, is_active=False)
    [clue] = found_once("inactive_officer_on_open_case")
    assert "吴磊" in clue.title and case.number in clue.title
    org.update_person(world.admin, partner, is_active=True)
    closed_by_itself("inactive_officer_on_open_case")


def test_auxiliary_on_case(world):
    partner = team(world)
    helper = f.person(world.city_a, Role.OFFICER, full_name="辅助员小周", is_auxiliary=True)
    case = open_penalty(world, partner, officers=[world.officer_a, partner, helper])  # two certified officers plus a helper
    [clue] = found_once("auxiliary_on_case")
    assert "辅助员小周" in clue.title and case.number in clue.title
    org.update_person(world.admin, helper, is_auxiliary=False)
    closed_by_itself("auxiliary_on_case")


def test_credential_out_of_area(world):
    partner = team(world)
    outsider = f.person(world.city_a, Role.OFFICER, full_name="借调人员")
    org.issue_credential(world.admin, person=outsider, number="330500777001", issuing_authority="浙江省人民政府", scope="安全生产监督管理",
                         area="浙江省湖州市", valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2028, 12, 31))
    case = open_penalty(world, partner, officers=[world.officer_a, partner, outsider])
    [clue] = found_once("credential_out_of_area")
    assert "借调人员" in clue.title and "浙江省湖州市" in clue.title and case.number in clue.title
    org.issue_credential(world.admin, person=outsider, number="330000777002", issuing_authority="浙江省人民政府", scope="安全生产监督管理",
                         area="浙江省", valid_from=datetime.date(2024, 1, 1), valid_until=datetime.date(2028, 12, 31))
    closed_by_itself("credential_out_of_area")


def test_reviewer_without_qualification(world):
    reviewer = f.person(world.city_a, Role.REVIEWER, full_name="新审核员")
    [clue] = found_once("reviewer_without_qualification")
    assert "新审核员" in clue.title
    org.update_person(world.admin, reviewer, has_legal_qualification=True, legal_qualification_number="A20173304001234")
    closed_by_itself("reviewer_without_qualification")


def test_inspector_without_credential(world):
    from zhifa.inspections import services as inspections
    from zhifa.inspections.models import TaskInspector
    from zhifa.inspections.tests import factories as fx

    fx.drawn(world)
    member = TaskInspector.objects.filter(is_active=True).select_related("person").first()
    org.change_credential_status(world.admin, Credential.objects.get(person=member.person), status="suspended", reason="暂扣")
    clues = found_once("inspector_without_credential")
    assert all(member.person.full_name in c.title for c in clues)
    for m in TaskInspector.objects.filter(person=member.person, is_active=True):
        inspections.recuse(world.head_a, m, "执法证被暂扣，不能参加检查")
    closed_by_itself("inspector_without_credential")


def test_repeated_inspections_by_several_agencies(world):
    from zhifa.inspections import services as inspections
    from zhifa.inspections.models import RiskClass
    from zhifa.inspections.tests import factories as fx

    for agency in (world.city_a, world.county_a):
        item = fx.item(world, agency)
        fx.rules(world, item, agency, ratios={RiskClass.HIGH: ("100", 1)})
        fx.targets(world, {RiskClass.HIGH: 2}, agency=agency)
        fx.inspectors(world, 2, agency=agency, prefix=f"{agency.short_name}检查员")
        plan = fx.plan(world, item, agency=agency)
        inspections.commit_plan(world.admin, plan)
        inspections.enter_seed(world.admin, plan, "3")
    clues = found_once("repeated_inspections")
    assert len(clues) == 2 and "分别抽查" in clues[0].title
    for clue in clues:
        services.close(world.city_supervisor, clue, note="已提醒两部门下次组织联合抽查。")
    assert run("repeated_inspections") == []


def test_clue_reply_overdue(world):
    partner = team(world)
    open_penalty(world, partner)
    org.change_credential_status(world.admin, Credential.objects.get(person=partner), status="suspended", reason="暂扣")
    [clue] = run("fewer_than_two_officers")
    services.assign(world.city_supervisor, clue, to=world.head_a, workdays_to_reply=1)
    [late] = found_once("clue_reply_overdue", 10)
    assert clue.title in late.title and late.severity == "high"
    services.answer(world.head_a, clue, outcome="corrected", text="已增派持证执法人员承办。")
    closed_by_itself("clue_reply_overdue", 10)


def test_beyond_limitation_is_for_a_supervisor_to_check(world):
    partner = team(world)
    case = open_penalty(world, partner, occurred_on=today(-3 * 365), limitation_note="《税收征收管理法》第八十六条规定的追征期为五年")
    [clue] = found_once("beyond_limitation")
    assert case.number in clue.title and "八十六条" in clue.title
    assert [c.pk for c in run("beyond_limitation", 30)] == [clue.pk]
    services.close(world.city_supervisor, clue, note="理由成立：税收违法行为追责期限适用特别规定。")
    assert run("beyond_limitation") == []
