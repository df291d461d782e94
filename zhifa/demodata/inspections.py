"""Demo 双随机: 嘉兴市应急管理局's libraries and ratios, a joint round with 嘉兴市市场监督管理局 drawn from a
published lottery result and under way (a result recorded through its 行政检查 case, a subject found closed, a
recusal), and a second round frozen and waiting for its lottery numbers."""

import datetime
import random

from django.utils import timezone

from zhifa.documents import services as docs
from zhifa.documents.samples import filled
from zhifa.inspections import services
from zhifa.inspections.models import Plan, RiskClass, SeedSource
from zhifa.org.models import Agency, Person
from zhifa.org.validators import make_uscc
from zhifa.powers.models import PublicItem

PLACES = [("330402", "南湖区"), ("330411", "秀洲区"), ("330421", "嘉善县"), ("330424", "海盐县"), ("330481", "海宁市"), ("330482", "平湖市"), ("330483", "桐乡市")]
TRADES = ["化工贸易", "危险化学品经营", "油品销售", "气体", "涂料销售", "化学试剂", "燃气", "石化物资"]
WORDS = "恒信 华瑞 新源 东方 嘉和 宏达 永兴 金桥 中联 天成 鼎盛 南洋 运河 禾兴 海潮 瑞丰 星河 长虹 万通 凯达".split()
STREETS = ["中山路", "东升路", "城南路", "秀园路", "长水路", "洪兴路", "亚太路", "文昌路", "三环南路", "乍浦路"]
# 河南 2021 by risk class, as DOMAIN.md R8.3 quotes it: high 30 %, medium-high 10 %, medium 2 %, low 1 %.
RATIOS = {RiskClass.HIGH: ("30", 2), RiskClass.MEDIUM_HIGH: ("10", 1), RiskClass.MEDIUM: ("2", 1), RiskClass.LOW: ("1", 1)}
COUNTS = {RiskClass.HIGH: 20, RiskClass.MEDIUM_HIGH: 60, RiskClass.MEDIUM: 260, RiskClass.LOW: 160}


def _targets(rng) -> list[dict]:
    rows, n = [], 0
    for risk, count in COUNTS.items():
        for _ in range(count):
            n += 1
            region, place = rng.choice(PLACES)
            individual = n % 23 == 0
            rows.append({
                "name": f"{place}{rng.choice(WORDS)}{rng.choice(TRADES)}{'经营部' if individual else '有限公司'}",
                "code": make_uscc(f"{'92' if individual else '91'}{region}{n:08d}"),
                "kind": "individual_business" if individual else "enterprise", "region_code": region, "industry": "危险化学品经营",
                "address": f"嘉兴市{place}{rng.choice(STREETS)}{rng.randrange(1, 2000)}号", "risk_class": risk,
                "source": "市场主体登记信息、危险化学品经营许可证",
            })
    return rows


def seed_inspections() -> int:
    agency = Agency.objects.filter(short_name="嘉应急").first()
    partner = Agency.objects.filter(short_name="嘉市监").first()
    admin = Person.objects.filter(username="admin").first()
    item = PublicItem.objects.filter(agency=agency, list_kind="inspections").first() if agency else None
    if item is None or partner is None or admin is None or Plan.objects.exists():
        return 0
    rng = random.Random(15)
    for risk, (ratio, frequency) in RATIOS.items():
        services.save_rule(admin, agency, item=item, risk_class=risk, ratio=ratio, frequency=frequency,
                           basis="《嘉兴市应急管理局安全生产分级分类监管办法》")
    for row in _targets(rng):
        services.save_target(admin, agency, row)
    # The 执法支队 team that inspects chemicals dealers: 张伟 and five colleagues with credentials.
    team = ["zhangwei", "wangqiang"]
    for person in Person.objects.filter(agency=agency, is_active=True, is_auxiliary=False).exclude(username__in=team).order_by("pk"):
        if len(team) == 6:
            break
        if services.eligibility(person, agency) is None:
            team.append(person.username)
    for username in team:
        services.add_inspector(admin, agency, Person.objects.get(username=username), note="执法支队危化品检查组")
    services.add_eligible_inspectors(admin, partner)

    head = Person.objects.get(username="wangqiang")
    today = timezone.localdate()
    year_end = today.replace(month=12, day=31)
    issue = max(1, today.timetuple().tm_yday * 3 // 7)  # 双色球 draws three times a week
    joint = services.create_plan(
        head, agency, item=item, year=today.year, title=f"{today.year}年危险化学品经营企业“双随机”联合抽查（第一轮）",
        starts_on=max(today.replace(month=1, day=1), today - datetime.timedelta(days=14)),
        ends_on=min(year_end, today + datetime.timedelta(days=30)), partners=[partner], inspectors_per_agency=2,
        seed_source=SeedSource.LOTTERY, seed_description=f"中国福利彩票双色球第 {today.year}{issue:03d} 期开奖号码",
    )
    services.commit_plan(head, joint)
    services.enter_seed(head, joint, "03 08 14 21 27 32 + 11")
    tasks = list(joint.tasks.order_by("position"))
    # The first visit done through its 行政检查 case; a subject found closed down; a recusal.
    first = tasks[0]
    officer = first.inspectors.filter(is_active=True, agency=agency).first().person
    case = services.start_task(officer, first)
    doc = docs.draft_document(officer, case, doc_type="inspection_result", content=filled(
        "inspection_result", items=item.name, result="检查危险化学品储存场所 2 处、经营台账及从业人员培训记录，未发现违法行为。"))
    docs.issue_document(officer, doc)
    services.record_result(officer, first, outcome="no_problem", checked_on=today)
    services.record_result(head, tasks[1], outcome="closed", checked_on=today, note="经核实，该企业已于本年度办理注销登记，经营场所已转租。")
    member = tasks[2].inspectors.filter(is_active=True, agency=agency).first()
    services.recuse(member.person, member, "本人配偶在该企业任职，申请回避。")
    second = services.create_plan(
        head, agency, item=item, year=today.year, title=f"{today.year}年危险化学品经营企业“双随机”抽查（第二轮，高风险）",
        starts_on=min(year_end, today + datetime.timedelta(days=31)), ends_on=year_end, seed_source=SeedSource.LOTTERY,
        seed_description=f"中国福利彩票双色球第 {today.year}{min(issue + 14, 156):03d} 期开奖号码",
    )
    services.commit_plan(head, second)
    return Plan.objects.count()
