"""A realistic 双随机 set-up built through the services: an inspection item with its rules, a target library and
an inspector library for 嘉兴市应急管理局 (the conftest world's city_a)."""

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook

from zhifa.core.roles import Role
from zhifa.org.tests import factories as f
from zhifa.org.validators import make_uscc
from zhifa.powers import services as powers

from .. import services
from ..models import RiskClass

ITEM = ("330400-SC-001", "危险化学品经营企业安全生产条件检查", {
    "category": "一般检查事项", "basis": "《中华人民共和国安全生产法》第六十五条", "targets": "辖区内危险化学品经营企业",
    "method": "现场检查", "ratio": "高风险 30%，一般风险 10%，低风险 2%", "department": "执法支队", "scope": "安全生产",
})
RATIOS = {RiskClass.HIGH: ("30", 2), RiskClass.MEDIUM: ("10", 1), RiskClass.LOW: ("2", 1)}


def uscc(n: int, region: str = "330402") -> str:
    return make_uscc(f"91{region}{n:08d}")


def item(world, agency=None):
    agency = agency or world.city_a
    code, name, fields = ITEM
    return powers.save_item(world.admin, agency, list_kind="inspections", code=code, name=name, fields=fields, note="首次公开")


def rules(world, inspection_item, agency=None, ratios=RATIOS):
    for risk, (ratio, frequency) in ratios.items():
        services.save_rule(world.admin, agency or world.city_a, item=inspection_item, risk_class=risk, ratio=ratio, frequency=frequency,
                           basis="嘉兴市应急管理局分级分类监管办法")


def targets(world, counts: dict, agency=None, start: int = 1):
    """{risk class: how many} enterprises in the agency's library, by the spreadsheet import."""
    rows, n = [], start
    for risk, count in counts.items():
        for _ in range(count):
            rows.append([f"嘉兴市测试化工贸易有限公司{n}", uscc(n), "企业", "330402", "危险化学品经营", f"南湖区测试路 {n} 号",
                         RiskClass(risk).label, "市场主体登记"])
            n += 1
    services.import_targets(world.admin, agency or world.city_a, workbook(rows))


def workbook(rows, header=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header or [label for _, label, _ in services.TARGET_COLUMNS])
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    return buf


def inspectors(world, count: int, agency=None, prefix="检查员"):
    """`count` certified officers of the agency in its inspector library."""
    agency = agency or world.city_a
    people = []
    for n in range(count):
        person = f.person(agency, Role.OFFICER, full_name=f"{prefix}{n + 1}")
        f.credential(person)
        services.add_inspector(world.admin, agency, person)
        people.append(person)
    return people


def plan(world, inspection_item, agency=None, **extra):
    today = timezone.localdate()
    data = dict(item=inspection_item, year=today.year, title="危险化学品经营企业“双随机”抽查",
                starts_on=today, ends_on=min(today + datetime.timedelta(days=30), datetime.date(today.year, 12, 31)),
                seed_description="中国福利彩票双色球第 2026138 期开奖号码")
    data.update(extra)
    if data["ends_on"] < data["starts_on"]:
        data["starts_on"] = data["ends_on"]
    return services.create_plan(world.admin, agency or world.city_a, **data)


def ready(world, counts=None, inspector_count=4):
    """An item, rules, a library of targets and inspectors: everything a plan needs."""
    inspection_item = item(world)
    rules(world, inspection_item)
    targets(world, counts or {RiskClass.HIGH: 10, RiskClass.MEDIUM: 20, RiskClass.LOW: 50})
    people = inspectors(world, inspector_count)
    return inspection_item, people


def drawn(world, seed="03 11 17 22 28 31 + 09", **extra):
    inspection_item, people = ready(world)
    p = plan(world, inspection_item, **extra)
    services.commit_plan(world.admin, p)
    services.enter_seed(world.admin, p, seed)
    p.refresh_from_db()
    return p, people
