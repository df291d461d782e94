"""Demo cases at 嘉兴市应急管理局: one closed, one waiting for legal review, one just opened, one overdue
seizure; plus the agency's review catalogue."""

import datetime
from decimal import Decimal

from django.utils import timezone

from zhifa.cases import services as cases
from zhifa.cases.models import Case
from zhifa.demodata.samples import PARTY, filled
from zhifa.documents import services as docs
from zhifa.documents import specs
from zhifa.org.models import Person
from zhifa.review import services as review
from zhifa.review.models import Criterion


def _doc(actor, case, doc_type, issuer=None, **content):
    doc = docs.draft_document(actor, case, doc_type=doc_type, content={**filled(doc_type), **content})
    doc = docs.issue_document(issuer or actor, doc)
    if doc_type in specs.PARTY_SIGNS:
        docs.record_signature(actor, doc, outcome="signed")
    return doc


def seed_cases() -> int:
    if Case.objects.exists():
        return 0
    people = {p.username: p for p in Person.objects.filter(username__in=["admin", "zhangwei", "wangqiang", "lina"])}
    if len(people) < 4:
        return 0
    officer, head, admin = people["zhangwei"], people["wangqiang"], people["admin"]
    partner = Person.objects.filter(agency=officer.agency, credentials__isnull=False).exclude(pk__in=[officer.pk, head.pk]).first()
    review.save_rule(admin, agency=officer.agency, name="对法人或者其他组织处五万元以上罚款", criterion=Criterion.FINE_AT_LEAST,
                     amount=Decimal("50000"), basis="嘉兴市应急管理局重大执法决定法制审核目录第一项")
    review.save_rule(admin, agency=officer.agency, name="责令停产停业、吊销或暂扣许可证件", criterion=Criterion.PENALTY_KIND,
                     values=["qualification", "restriction"], basis="嘉兴市应急管理局重大执法决定法制审核目录第二项")

    def open_case(title, **extra):
        return cases.open_case(
            officer, procedure_code=extra.pop("procedure_code", "penalty_general"), title=title, source="inspection",
            parties=[extra.pop("party", PARTY)], officers=[officer, partner],
            facts=extra.pop("facts", "执法检查中发现。"), place="嘉兴市南湖区凌公塘路 1288 号",
            occurred_on=timezone.localdate() - datetime.timedelta(days=10), **extra,
        )

    def through_statement(case, fine):
        _doc(officer, case, "filing_approval")
        cases.move_case(officer, case, to="investigation")
        _doc(officer, case, "inspection_record")
        _doc(officer, case, "inquiry_record")
        cases.move_case(officer, case, to="investigation_end")
        _doc(officer, case, "investigation_report")
        cases.set_proposal(officer, case, outcome="penalty", penalty_kinds=["fine"], fine_amount=fine,
                           legal_basis="《危险化学品安全管理条例》第八十条第一款第三项")
        cases.move_case(officer, case, to="notice")
        _doc(officer, case, "penalty_notice")
        cases.move_case(officer, case, to="statement")
        _doc(officer, case, "statement_record")

    # 1. closed: a 20,000 fine, below the catalogue, from 立案 to 结案
    closed = open_case("危险化学品仓库消防通道堵塞案", facts="3 号仓库东侧消防通道堆放货物，未保持畅通。")
    through_statement(closed, "20000")
    cases.move_case(officer, closed, to="decision")
    _doc(officer, closed, "penalty_decision", issuer=head)
    cases.move_case(officer, closed, to="service")
    _doc(officer, closed, "service_receipt")
    cases.move_case(officer, closed, to="execution")
    _doc(officer, closed, "closing_report")
    cases.move_case(officer, closed, to="closed")

    from zhifa.publicity import services as publicity

    publicity.release(head, closed.publications.get())

    # 2. a major decision waiting for 李娜's review
    major = open_case("未按规定储存危险化学品案", facts="危险化学品与禁忌物料混存于 3 号仓库。")
    through_statement(major, "80000")
    cases.move_case(officer, major, to="legal_review")
    review.submit_for_review(officer, major)

    # 3. just opened
    open_case("特种作业人员未持证上岗案", party={**PARTY, "name": "嘉兴市港区物流有限公司", "id_code": "91330400MA28XXXX2C"})

    # 4. a seizure whose 30-day period is running
    seizure = open_case("涉嫌非法储存危险化学品查封案", procedure_code="coercion_seizure",
                        party={**PARTY, "name": "秀洲区某五金加工作坊", "kind": "organisation", "id_code": ""})
    _doc(officer, seizure, "seizure_approval", issuer=head)
    cases.move_case(officer, seizure, to="enforcement")
    return Case.objects.count()

