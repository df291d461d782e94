"""Demo cases at 嘉兴市应急管理局, replayed over the last four months so that every state the engine's rules
create is there to see: closed with payment (and its publication corrected), a major case waiting for review,
a hearing scheduled (its excluded period running), a decision limit paused for an appraisal and then extended,
an overdue case, a fine paid late with its surcharge, a decision withdrawn with its reason, a 不予处罚 decision
and an inspection result published, a seizure running, and a case just opened.

seed_cases() moves the clock forward through that history (time-machine); the ledger only ever sees time
move forward, so `zhifa ledger verify` passes on the demo database."""

import datetime
from decimal import Decimal

from django.utils import timezone

from zhifa import workdays
from zhifa.cases import services as cases
from zhifa.cases.models import Case, HearingThreshold
from zhifa.cases.samples import PARTY
from zhifa.documents import services as docs
from zhifa.documents import specs
from zhifa.documents.samples import filled
from zhifa.ledger import services as ledger
from zhifa.org.models import Person
from zhifa.review import services as review
from zhifa.review.models import Criterion

BASIS = "《危险化学品安全管理条例》第八十条第一款第三项"


class Timeline:
    """Moves the (travelled) clock forward to `real_today - days`, signing what is pending first so every
    event is covered by a head signed within the bounded delay."""

    def __init__(self, clock, real_now: datetime.datetime):
        self.clock, self.real_now = clock, real_now
        self.real_today = timezone.localdate(real_now)

    def day(self, days_ago: int) -> datetime.date:
        return self.real_today - datetime.timedelta(days=days_ago)

    def to(self, days_ago: int, hour: int = 9) -> datetime.date:
        day = self.day(days_ago)
        target = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        target = min(target, self.real_now - datetime.timedelta(minutes=2))  # never past the real clock
        if target > timezone.now():
            ledger.sign_tree_head()
            self.clock.move_to(target)
        return day


def _doc(actor, case, doc_type, issuer=None, serve=None, **content):
    doc = docs.draft_document(actor, case, doc_type=doc_type, content=filled(doc_type, **content))
    if doc_type in docs.HEAD_SIGNS and issuer is None:
        issuer = Person.objects.filter(agency=case.agency, role_assignments__role="head").order_by("pk").first()
    if issuer is not None and issuer != actor and doc_type in docs.HEAD_SIGNS:
        # As in the office: the officer sends it to the head, who approves it and so issues it in their own name.
        from zhifa.workflow import approvals

        approvals.decide(issuer, docs.request_issue(actor, doc, note="事实清楚，证据确凿，请审批。"), approve=True, opinion="同意。")
        doc.refresh_from_db()
    else:
        doc = docs.issue_document(issuer or actor, doc)
    if doc_type in specs.PARTY_SIGNS:
        docs.record_signature(actor, doc, outcome="signed")
    if serve:
        note = {"post": "EMS 1190034567812"}.get(serve, "")
        docs.record_service(actor, doc, manner=serve, act_on=timezone.localdate(), note=note)
    return doc


def seed_cases(clock=None, real_now=None) -> int:
    if Case.objects.exists():
        return 0
    people = {p.username: p for p in Person.objects.filter(username__in=["admin", "zhangwei", "wangqiang", "lina"])}
    if len(people) < 4:
        return 0
    t = Timeline(clock, real_now) if clock else None
    at = (lambda days_ago, hour=9: t.to(days_ago, hour)) if t else (lambda days_ago, hour=9: timezone.localdate())
    officer, head, admin, reviewer = people["zhangwei"], people["wangqiang"], people["admin"], people["lina"]
    partner = Person.objects.filter(agency=officer.agency, credentials__isnull=False).exclude(pk__in=[officer.pk, head.pk]).first()
    review.save_rule(admin, agency=officer.agency, name="对法人或者其他组织处五万元以上罚款", criterion=Criterion.FINE_AT_LEAST,
                     amount=Decimal("50000"), basis="嘉兴市应急管理局重大执法决定法制审核目录第一项")
    review.save_rule(admin, agency=officer.agency, name="责令停产停业、吊销或暂扣许可证件", criterion=Criterion.PENALTY_KIND,
                     values=["qualification", "restriction"], basis="嘉兴市应急管理局重大执法决定法制审核目录第二项")
    for kind, amount in (("organisation", "100000"), ("citizen", "5000")):
        HearingThreshold.objects.get_or_create(
            region_prefix="33", sector="应急管理", party_kind=kind,
            defaults={"fine_amount": Decimal(amount), "basis": "浙江省应急管理行政处罚“较大数额”标准（演示数据）"},
        )

    def open_case(title, days_ago_occurred=10, **extra):
        return cases.open_case(
            officer, procedure_code=extra.pop("procedure_code", "penalty_general"), title=title, source=extra.pop("source", "inspection"),
            parties=extra.pop("parties", [PARTY]), officers=[officer, partner],
            facts=extra.pop("facts", "执法检查中发现。"), place="嘉兴市南湖区凌公塘路 1288 号",
            occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago_occurred), **extra,
        )

    def investigate(case, fine, kinds=("fine",)):
        _doc(officer, case, "filing_approval")
        cases.move_case(officer, case, to="investigation")
        _doc(officer, case, "inspection_record")
        _doc(officer, case, "inquiry_record")
        cases.move_case(officer, case, to="investigation_end")
        _doc(officer, case, "investigation_report")
        cases.set_proposal(officer, case, outcome="penalty", penalty_kinds=list(kinds), fine_amount=fine, legal_basis=BASIS)

    def notify(case, serve="direct"):
        cases.move_case(officer, case, to="notice")
        _doc(officer, case, "penalty_notice", serve=serve)

    def heard(case):
        cases.move_case(officer, case, to="statement")
        _doc(officer, case, "statement_record")

    def decide(case):
        cases.move_case(officer, case, to="decision")
        return _doc(officer, case, "penalty_decision", issuer=head)

    from zhifa.demodata.evidence import seed_evidence
    from zhifa.publicity import services as publicity

    citizen = {"kind": "citizen", "name": "沈建明", "address": "嘉兴市南湖区东栅街道建设路 66 号", "id_code": "330402198507152318"}

    at(115)  # 1. closed with payment (its publication corrected on day 60)
    closed = open_case("危险化学品仓库消防通道堵塞案", facts="3 号仓库东侧消防通道堆放货物，未保持畅通。")
    investigate(closed, "20000")
    at(108)
    seed_evidence(case=closed)
    notify(closed)
    at(104)
    heard(closed)
    at(100)
    decision = decide(closed)
    cases.move_case(officer, closed, to="service")
    overdue = open_case("未按规定设置安全警示标志案", days_ago_occurred=5,  # 3. overdue: still investigating after 90 days
                        parties=[{**PARTY, "name": "嘉兴市恒泰危化品运输有限公司", "id_code": "91330400MA29XXXX3D"}])
    _doc(officer, overdue, "filing_approval")
    cases.move_case(officer, overdue, to="investigation")
    at(99)
    docs.record_service(officer, decision, manner="direct", act_on=timezone.localdate())
    cases.move_case(officer, closed, to="execution")
    publication = publicity.release(head, closed.publications.get())
    at(92)
    cases.record_payment(officer, closed, paid_on=timezone.localdate(), amount="20000", receipt_number="330400-2026-0017725")
    _doc(officer, closed, "closing_report")
    cases.move_case(officer, closed, to="closed")

    at(90)  # 2. an on-the-spot fine, published, later revoked on 行政复议 and withdrawn (days 20, 19)
    spot = cases.open_case(officer, procedure_code="penalty_simple", title="加油站内违规使用明火", source="inspection",
                           parties=[citizen], officers=[partner], occurred_on=timezone.localdate())
    cases.set_proposal(officer, spot, outcome="penalty", penalty_kinds=["fine"], fine_amount="200", legal_basis="《浙江省消防条例》第五十一条")
    _doc(officer, spot, "onsite_penalty_decision")
    at(89)
    withdrawn = publicity.release(head, spot.publications.get())

    at(80)  # 4. an appraisal stops the decision limit for a month; the head extends it on day 5
    paused = open_case("重大危险源未登记建档案", days_ago_occurred=20,
                       parties=[{**PARTY, "name": "嘉兴市南湖区瑞丰化工有限公司", "id_code": "91330402MA2AXXXX5F"}])
    at(70)
    cases.pause_deadline(officer, paused, code="decision", kind="appraisal", start_date=timezone.localdate(),
                         reason="委托浙江省化工研究院对储罐区危险化学品数量进行鉴定")
    at(60)
    publicity.correct(head, publication, note="原公示的处罚依据条款录入有误，已更正为第八十条第一款第三项", basis=BASIS + "。")

    at(46)  # 5. a fine not paid on time: the 3 % daily surcharge is accruing
    late = open_case("未按规定开展安全生产教育培训案", days_ago_occurred=8,
                     parties=[{**PARTY, "name": "嘉兴市港区物流有限公司", "id_code": "91330400MA28XXXX2C"}])
    investigate(late, "10000")
    notify(late)
    heard(late)
    at(45)
    late_decision = decide(late)
    cases.move_case(officer, late, to="service")
    at(44)
    docs.record_service(officer, late_decision, manner="post", act_on=timezone.localdate(), note="EMS 1190034567812，当事人签收")
    cases.move_case(officer, late, to="execution")
    publicity.release(reviewer, late.publications.get())

    at(40)
    cases.resume_deadline(officer, paused, code="decision", end_date=timezone.localdate() - datetime.timedelta(days=1))
    hearing = open_case("违规动火作业引发火情案", days_ago_occurred=12,  # 6. a hearing requested and scheduled
                        parties=[{**PARTY, "name": "嘉兴市禾兴精细化工有限公司", "id_code": "91330402MA2CXXXX7H"}])
    investigate(hearing, "150000")

    at(30)  # 8. a 不予处罚 decision and an inspection result, both published
    lenient = open_case("危险化学品安全技术说明书未及时更新案", days_ago_occurred=3,
                        parties=[{**PARTY, "name": "嘉兴市秀洲区新塍五金经营部", "id_code": "92330411MA2DXXXX9K"}])
    _doc(officer, lenient, "filing_approval")
    cases.move_case(officer, lenient, to="investigation")
    _doc(officer, lenient, "inspection_record")
    cases.move_case(officer, lenient, to="investigation_end")
    _doc(officer, lenient, "investigation_report")
    cases.set_proposal(officer, lenient, outcome="no_penalty")
    cases.move_case(officer, lenient, to="decision")
    _doc(officer, lenient, "no_penalty_decision", issuer=head, serve="direct",
         reason="初次违法且危害后果轻微并及时改正，依照行政处罚法第三十三条第一款不予行政处罚，并对当事人进行教育。")
    cases.move_case(officer, lenient, to="service")
    _doc(officer, lenient, "closing_report")
    cases.move_case(officer, lenient, to="closed")
    publicity.release(reviewer, lenient.publications.get())
    inspection = cases.open_case(officer, procedure_code="inspection", title="危险化学品储存场所专项检查", source="inspection",
                                 parties=[{**PARTY, "name": "嘉兴市南湖区凌云仓储有限公司", "id_code": "91330402MA2EXXXX1M"}],
                                 officers=[officer, partner])
    _doc(officer, inspection, "inspection_result", result="抽查储存场所 3 处，未发现违法行为。")
    publicity.release(reviewer, inspection.publications.get())

    at(20)  # 7. the on-the-spot decision revoked; withdrawn the next day, within three working days
    withdrawn = publicity.record_revocation(head, withdrawn, trigger="revoked", trigger_date=timezone.localdate(),
                                            reason="嘉兴市人民政府嘉政复〔2026〕41号行政复议决定撤销原处罚决定")
    at(19)
    publicity.withdraw(head, withdrawn, reason="原处罚决定已被行政复议机关撤销，依法撤回公示")

    at(14)
    notify(hearing)
    at(12)
    cases.record_party_choice(officer, hearing, choice="hearing_requested", note="当事人书面申请听证")
    cases.move_case(officer, hearing, to="hearing")
    cases.pause_deadline(officer, hearing, code="decision", kind="hearing", start_date=timezone.localdate(), reason="当事人申请听证")

    at(10)  # 9. a seizure whose 30-day period is running
    seizure = open_case("涉嫌非法储存危险化学品查封案", procedure_code="coercion_seizure",
                        parties=[{**PARTY, "name": "秀洲区某五金加工作坊", "kind": "organisation", "id_code": ""}])
    _doc(officer, seizure, "seizure_approval", issuer=head)
    cases.move_case(officer, seizure, to="enforcement")

    at(6, 14)  # 11. a major decision waiting for 李娜's review
    major = open_case("未按规定储存危险化学品案", days_ago_occurred=20, facts="危险化学品与禁忌物料混存于 3 号仓库。")
    investigate(major, "80000")
    notify(major)
    heard(major)
    cases.move_case(officer, major, to="legal_review")
    review.submit_for_review(officer, major)

    at(5)  # the hearing notice, served at least seven working days before the hearing; the extension
    hearing_day = workdays.add_workdays(timezone.localdate(), 9).date
    _doc(officer, hearing, "hearing_notice", serve="direct", hearing_at=hearing_day.isoformat())
    cases.extend_deadline(head, paused, code="decision", reason="鉴定后需补充调取三年的出入库台账，案情复杂")

    at(1)  # 13. a decision sent to the head, waiting in 王强's 待办
    waiting = open_case("危险化学品出入库台账记录不全案", days_ago_occurred=10,
                        parties=[{**PARTY, "name": "嘉兴市嘉通化工贸易有限公司", "id_code": "91330402MA2GXXXX6Q"}])
    investigate(waiting, "8000")
    notify(waiting)
    heard(waiting)
    cases.move_case(officer, waiting, to="decision")
    pending = docs.draft_document(officer, waiting, doc_type="penalty_decision", content=filled("penalty_decision"))
    docs.request_issue(officer, pending, note="当事人陈述申辩未提出新的事实和理由，拟维持原拟处罚意见，请审批。")

    at(0)  # 12. just opened
    open_case("特种作业人员未持证上岗案", days_ago_occurred=2,
              parties=[{**PARTY, "name": "嘉兴市长安化纤有限公司", "id_code": "91330481MA2FXXXX4P"}])
    ledger.sign_tree_head()
    return Case.objects.count()
