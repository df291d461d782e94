"""A realistic penalty case built through the services, as an officer would."""

import datetime

from django.utils import timezone

from zhifa.cases import services
from zhifa.cases.samples import PARTY
from zhifa.core.roles import Role
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


def world_with_partner(request):
    """The conftest world plus 张伟's certified partner 吴磊 and the published procedures."""
    world = request.getfixturevalue("world")
    world.partner = team(world)
    return world


def staff(world, agency):
    """Two certified officers of `agency`, made once per world; the bundled procedures published."""
    cache = world.__dict__.setdefault("_staff", {})
    if not cache:
        publish_bundled(world.admin)
    if agency.pk not in cache:
        first = f.person(agency, Role.OFFICER, full_name=f"{agency.short_name}执法员甲")
        second = f.person(agency, Role.OFFICER, full_name=f"{agency.short_name}执法员乙")
        f.credential(first)
        f.credential(second)
        cache[agency.pk] = (first, second)
    return cache[agency.pk]


def case_in(world, agency, **extra):
    """A 普通程序 penalty case of `agency`, opened by two of its certified officers."""
    first, second = staff(world, agency)
    data = dict(
        procedure_code="penalty_general", title=f"{agency.short_name}未按规定储存危险化学品案", source="inspection",
        parties=[PARTY], officers=[first, second], facts="检查发现仓库内危险化学品与禁忌物料混存。",
        place="仓库", occurred_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    data.update(extra)
    return services.open_case(first, **data)
