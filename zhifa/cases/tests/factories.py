"""A realistic penalty case built through the services, as an officer would."""

import datetime

from django.utils import timezone

from zhifa.cases import services
from zhifa.core.roles import Role
from zhifa.demodata.samples import PARTY, filled  # noqa: F401  (shared with the demo)
from zhifa.documents import services as docs
from zhifa.documents import specs
from zhifa.org.tests import factories as f
from zhifa.procedures.services import publish_bundled


def team(world):
    """Publishes the procedures and gives 张伟 a certified partner, 吴磊."""
    publish_bundled(world.admin)
    partner = f.person(world.city_a, Role.OFFICER, username="officer_b", full_name="吴磊")
    f.credential(partner, number="33040011002")
    return partner


def open_penalty(world, partner, **extra):
    data = dict(
        procedure_code="penalty_general", title="未按规定储存危险化学品案", source="inspection",
        parties=[PARTY], officers=[world.officer_a, partner], facts="检查发现 3 号仓库内危险化学品与禁忌物料混存。",
        place="嘉兴市南湖区凌公塘路 1288 号 3 号仓库", occurred_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    data.update(extra)
    return services.open_case(world.officer_a, **data)


def make_document(actor, case, doc_type, *, issuer=None, sign=True, serve=None, content=None):
    """Draft, issue (as `issuer`), have the party sign where it signs, and, with `serve`, record its service
    that day ("direct", "post" …)."""
    doc = docs.draft_document(actor, case, doc_type=doc_type, content=filled(doc_type, **(content or {})))
    doc = docs.issue_document(issuer or actor, doc)
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
