"""Realistic demo data: 浙江省 / 嘉兴市 / 县 agencies, their people and credentials.

Deterministic (fixed random seed), written through the services like any other data.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from zhifa.core.roles import Role
from zhifa.org import services
from zhifa.org.models import Agency, AgencyLevel, CredentialStatus, DepartmentFunction
from zhifa.org.validators import make_uscc

DEMO_PASSWORD = "Zhifa@2026"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玲飞鹏辉宇浩凯晨欣怡佳琪雪慧颖婷晓峰鑫俊斌波宁亮琳倩瑶雯璐颖博文轩睿泽嘉诚志远海燕春兰"

# name, short, level, region code, region name, sector, supervisory, parent short, officers, reviewers, address, phone
AGENCIES = [
    ("浙江省司法厅", "浙司", AgencyLevel.PROVINCE, "330000", "浙江省", "司法行政", True, None, 6, 2, "杭州市上城区之江路", "0571-87055000"),
    ("浙江省应急管理厅", "浙应急", AgencyLevel.PROVINCE, "330000", "浙江省", "应急管理", False, None, 14, 2, "杭州市西湖区省府路8号", "0571-87055678"),
    ("嘉兴市司法局", "嘉司", AgencyLevel.CITY, "330400", "浙江省嘉兴市", "司法行政", True, "浙司", 5, 1, "嘉兴市南湖区中环南路1515号", "0573-82052500"),
    ("嘉兴市应急管理局", "嘉应急", AgencyLevel.CITY, "330400", "浙江省嘉兴市", "应急管理", False, "浙应急", 20, 1, "嘉兴市南湖区中环东路1882号", "0573-82076110"),
    ("嘉兴市市场监督管理局", "嘉市监", AgencyLevel.CITY, "330400", "浙江省嘉兴市", "市场监管", False, None, 24, 2, "嘉兴市南湖区广益路705号", "0573-82080315"),
    ("海盐县司法局", "盐司", AgencyLevel.COUNTY, "330424", "浙江省嘉兴市海盐县", "司法行政", True, "嘉司", 4, 1, "海盐县武原街道向阳路", "0573-86122148"),
    ("海盐县应急管理局", "盐应急", AgencyLevel.COUNTY, "330424", "浙江省嘉兴市海盐县", "应急管理", False, "嘉应急", 12, 1, "海盐县武原街道长安北路", "0573-86139110"),
    ("海盐县综合行政执法局", "盐综执", AgencyLevel.COUNTY, "330424", "浙江省嘉兴市海盐县", "综合行政执法", False, None, 26, 1, "海盐县武原街道海滨东路", "0573-86012319"),
    ("嘉善县市场监督管理局", "善市监", AgencyLevel.COUNTY, "330421", "浙江省嘉兴市嘉善县", "市场监管", False, "嘉市监", 24, 1, "嘉善县罗星街道体育北路", "0573-84182315"),
]

SCOPES = {
    "应急管理": "安全生产监督管理",
    "市场监管": "市场监督管理",
    "综合行政执法": "城市管理、住房城乡建设、生态环境等综合行政执法",
    "司法行政": "行政执法监督",
}

# Fixed demo accounts: username, full name, agency short name, roles, position, legal qualification.
DEMO_ACCOUNTS = [
    ("zhangwei", "张伟", "嘉应急", [Role.OFFICER], "执法支队一大队队长", False),
    ("lina", "李娜", "嘉应急", [Role.REVIEWER], "法规科科长", True),
    ("wangqiang", "王强", "嘉应急", [Role.HEAD, Role.OFFICER], "局长", False),
    ("chenjing", "陈静", "嘉司", [Role.SUPERVISOR], "行政执法协调监督科科长", True),
    ("zhaomin", "赵敏", "浙司", [Role.SUPERVISOR], "行政执法协调监督处处长", True),
    ("liuyang", "刘洋", "盐应急", [Role.OFFICER], "执法大队队员", False),
]


class _Namer:
    def __init__(self, rng):
        self.rng, self.used = rng, {"张伟", "李娜", "王强", "陈静", "赵敏", "刘洋"}

    def __call__(self):
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if name not in self.used:
                self.used.add(name)
                return name


def _id_number(rng, region: str) -> str:
    area = {"330000": "330106", "330400": "330402"}.get(region, region)
    while True:  # python-stdnum also checks the area code existed on the birth date
        born = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
        base = area + born.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
        number = base + ric.calc_check_digit(base + "0")
        if ric.is_valid(number):
            return number


def _uscc(index: int, region: str) -> str:
    # 1 (机构编制) + 1 (机关) + region + organisation code body.
    return make_uscc(f"11{region}00{2301 + index * 37:06d}")


@transaction.atomic
def seed_demo(today=None) -> dict:
    """`today`: the real date, when the demo history is replayed from an earlier day (credentials that expire
    soon or expired are dated from it)."""
    if Agency.objects.exists():
        return {"created": False}
    rng = random.Random(20261123)
    namer = _Namer(rng)
    today = today or timezone.localdate()
    by_short: dict[str, Agency] = {}
    admin = None
    counts = {"agencies": 0, "people": 0, "credentials": 0}
    for index, (name, short, level, region, region_name, sector, supervisory, parent, *_rest) in enumerate(AGENCIES):
        officers, reviewers, address, phone = _rest
        data = dict(
            name=name, short_name=short, uscc=_uscc(index, region), level=level, region_code=region,
            region_name=region_name, sector=sector, is_supervisory=supervisory, parent=by_short.get(parent),
            address=address, phone=phone, office_hours="工作日 8:30-12:00，14:00-17:30",
        )
        if admin is None:
            agency = services.bootstrap_agency(**data)
            admin = services.bootstrap_administrator(
                username="admin", password=DEMO_PASSWORD, full_name="系统管理员", agency=agency
            )
        else:
            agency = services.create_agency(admin, **data)
        by_short[short] = agency
        counts["agencies"] += 1
        enforcement = services.create_department(
            admin, agency=agency, name="行政执法协调监督处" if supervisory else "执法支队" if level != AgencyLevel.COUNTY else "执法大队",
            function=DepartmentFunction.SUPERVISION if supervisory else DepartmentFunction.ENFORCEMENT,
        )
        legal = services.create_department(admin, agency=agency, name="法规科" if level != AgencyLevel.PROVINCE else "政策法规处", function=DepartmentFunction.LEGAL_REVIEW)
        leaders = services.create_department(admin, agency=agency, name="局领导" if "厅" not in name else "厅领导", function=DepartmentFunction.LEADERSHIP)
        agency._depts = {"enforcement": enforcement, "legal": legal, "leaders": leaders}
        agency._plan = (officers, reviewers)

    seq = {}

    def credential_for(person, agency, *, valid_until=None, status=CredentialStatus.VALID, reason=""):
        seq[agency.pk] = seq.get(agency.pk, 0) + 1
        number = f"{agency.region_code}{10 + list(by_short).index(agency.short_name):02d}{seq[agency.pk]:03d}"
        start = dt.date(2022 + rng.randrange(0, 4), rng.randrange(1, 13), rng.randrange(1, 28))
        cred = services.issue_credential(
            admin, person=person, number=number, issuing_authority="浙江省人民政府",
            kind="supervision" if agency.is_supervisory else "enforcement",
            scope=SCOPES[agency.sector], area=agency.region_name,
            valid_from=start, valid_until=valid_until or start.replace(year=start.year + 5) - dt.timedelta(days=1),
        )
        if status != CredentialStatus.VALID:
            services.change_credential_status(admin, cred, status=status, reason=reason)
        counts["credentials"] += 1
        return cred

    def person(agency, *, username, full_name, roles, dept, position, qualified=False, password=None, auxiliary=False):
        p = services.create_person(
            admin, username=username, password=password, roles=roles, full_name=full_name, agency=agency,
            department=agency._depts[dept], position=position, gender=rng.choice("MF"),
            phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}", id_number=_id_number(rng, agency.region_code),
            has_legal_qualification=qualified, is_auxiliary=auxiliary,
            legal_qualification_number=f"A{rng.randrange(2008, 2024)}{rng.randrange(10**11, 10**12)}" if qualified else "",
        )
        counts["people"] += 1
        return p

    for username, full_name, short, roles, position, qualified in DEMO_ACCOUNTS:
        agency = by_short[short]
        dept = "legal" if Role.REVIEWER in roles else "leaders" if Role.HEAD in roles else "enforcement"
        p = person(agency, username=username, full_name=full_name, roles=roles, dept=dept, position=position,
                   qualified=qualified, password=DEMO_PASSWORD)
        if Role.OFFICER in roles or Role.SUPERVISOR in roles:
            credential_for(p, agency)

    for agency in by_short.values():
        officers, reviewers = agency._plan
        have = lambda role: agency.people.filter(role_assignments__role=role).count()  # noqa: E731
        role = Role.SUPERVISOR if agency.is_supervisory else Role.OFFICER
        for i in range(officers - have(role)):
            p = person(agency, username=f"u{agency.pk:02d}{i + 1:03d}", full_name=namer(), roles=[role],
                       dept="enforcement", position=rng.choice(["科员", "一级科员", "四级主任科员", "副大队长", "执法队员"]))
            if i == 0:
                credential_for(p, agency, valid_until=today + dt.timedelta(days=rng.randrange(10, 50)))
            elif i == 1:
                credential_for(p, agency, valid_until=today - dt.timedelta(days=rng.randrange(5, 90)))
            elif i == 2 and officers > 10:
                credential_for(p, agency, status=CredentialStatus.SUSPENDED, reason="涉嫌违规执法，暂扣期间停止执法活动")
            else:
                credential_for(p, agency)
        for i in range(reviewers - have(Role.REVIEWER)):
            person(agency, username=f"u{agency.pk:02d}r{i + 1:02d}", full_name=namer(), roles=[Role.REVIEWER],
                   dept="legal", position="法制审核员", qualified=i == 0)
        if not agency.people.filter(role_assignments__role=Role.HEAD).exists():
            person(agency, username=f"u{agency.pk:02d}head", full_name=namer(), roles=[Role.HEAD], dept="leaders",
                   position="厅长" if "厅" in agency.name else "局长")
        for i in range(2 if not agency.is_supervisory else 0):
            person(agency, username=f"u{agency.pk:02d}fz{i + 1}", full_name=namer(), roles=[], dept="enforcement",
                   position="执法辅助人员", auxiliary=True)
    return {"created": True, **counts}
