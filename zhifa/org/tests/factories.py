"""Realistic test data built through the services, as real data would be."""

import datetime as dt
import itertools

from zhifa.core.roles import Role
from zhifa.org import services
from zhifa.org.models import Agency, AgencyLevel, Person
from zhifa.org.validators import make_uscc

PASSWORD = "Zhifa@2026"
_seq = itertools.count(1)


def admin() -> Person:
    existing = Person.objects.filter(role_assignments__role=Role.ADMIN).first()
    return existing or services.bootstrap_administrator(username="admin", password=PASSWORD, full_name="系统管理员")


def agency(name=None, *, region="330400", level=AgencyLevel.CITY, supervisory=False, sector="应急管理", **extra) -> Agency:
    n = next(_seq)
    return services.create_agency(
        admin(),
        name=name or f"测试市第{n}执法局",
        short_name=f"测{n}",
        uscc=make_uscc(f"11{region}00{n:06d}"),
        level=level,
        region_code=region,
        region_name={"330000": "浙江省", "330400": "浙江省嘉兴市", "330424": "浙江省嘉兴市海盐县"}.get(region, "浙江省"),
        sector="司法行政" if supervisory else sector,
        is_supervisory=supervisory,
        **extra,
    )


def person(agency, *roles, username=None, full_name="张三", password=PASSWORD, **extra) -> Person:
    n = next(_seq)
    return services.create_person(
        admin(), username=username or f"user{n}", password=password, roles=roles, full_name=full_name, agency=agency, **extra
    )


def credential(person, *, number=None, valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2028, 12, 31), **extra):
    n = next(_seq)
    return services.issue_credential(
        admin(),
        person=person,
        number=number or f"3304009{n:05d}",  # 12 digits: never one of the tests' fixed 11-digit numbers
        issuing_authority="浙江省人民政府",
        scope="安全生产监督管理",
        area="浙江省嘉兴市",
        valid_from=valid_from,
        valid_until=valid_until,
        **extra,
    )
