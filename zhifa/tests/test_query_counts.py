"""No page's query count grows with the rows it shows (issue 12): every list and detail page and list endpoint
is fetched with a small data set and again with ten times as many rows, and must cost the same number of
queries. A page that loads a related row per listed row (N+1) fails here long before it is slow in production.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from zhifa.cases.tests.factories import case_in, staff
from zhifa.core.roles import Role
from zhifa.documents.tests.factories import onsite_decision_in
from zhifa.evidence.tests import factories as ef
from zhifa.org.models import Agency
from zhifa.org.tests import factories as f
from zhifa.publicity import services as publicity
from zhifa.publicity.models import Publication

PUBLIC_PAGES = [
    "/gs/", "/gs/agencies/", "/gs/decisions/", "/gs/decisions/?q=动火", "/gs/decisions/?q=作业", "/gs/officers/",
    "/gs/officers/?q=执法", "/gs/procedures/", "/gs/decisions/open-data.json", "/gs/decisions/feed.atom",
    "/api/v1/public/decisions/", "/api/v1/public/officers/", "/api/v1/public/agencies/",
]
STAFF_PAGES = [
    "/", "/cases/", "/cases/?q=危险", "/cases/deadlines/", "/evidence/", "/evidence/access/", "/ledger/", "/publicity/?status=",
    "/review/?status=", "/org/agencies/", "/org/people/", "/org/credentials/", "/documents/{document}/", "/cases/{case}/",
]
STAFF_API = [
    "/api/v1/cases/", "/api/v1/documents/", "/api/v1/evidence/", "/api/v1/ledger/events/", "/api/v1/publications/",
    "/api/v1/people/", "/api/v1/credentials/", "/api/v1/agencies/", "/api/v1/review/tasks/", "/api/v1/cases/{case}/",
]


def grow(world, n: int) -> dict:
    """n more of everything a page lists, in the officer's agency, built through the services."""
    officer, _ = staff(world, world.city_a)
    made = {}
    for i in range(n):
        made["case"] = case_in(world, world.city_a)
        document = onsite_decision_in(world, world.city_a)
        made["document"] = document
        publicity.release(world.head_a, Publication.objects.get(document=document))
        ef.evidence(officer, data=f"现场照片 {i} {made['case'].pk}".encode(), title=f"现场照片 {i}")
        person = f.person(world.city_a, Role.OFFICER, full_name=f"执法员{i}")
        f.credential(person)
        agency = f.agency(f"嘉兴市第{Agency.objects.count()}应急管理局", region="330400")  # more agencies: staffing per agency
        f.person(agency, Role.OFFICER, full_name=f"执法员{i}")
    return made


def counts(world, urls, made, user=None) -> dict:
    result = {}
    page, api = Client(), APIClient()
    page.force_login(user or world.head_a)
    api.force_authenticate(user or world.head_a)
    for url in urls:
        target = url.format(**{k: v.pk for k, v in made.items()})
        client = api if target.startswith("/api/") else page
        caches["default"].clear()  # every page counted cold: what a page caches for minutes is read on the first request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)
        result[url] = len(queries)
    return result


# What an administrator sees spans every agency: pages that report per agency must not query per agency.
ADMIN_PAGES = ["/", "/org/agencies/", "/org/people/", "/api/v1/agencies/", "/org/credentials/?expiring=1"]


@pytest.mark.parametrize(
    "urls, as_admin",
    [(PUBLIC_PAGES, False), (STAFF_PAGES, False), (STAFF_API, False), (ADMIN_PAGES, True)],
    ids=["public", "staff pages", "staff api", "administrator"],
)
def test_query_counts_do_not_grow_with_the_rows(world, urls, as_admin):
    user = world.admin if as_admin else None
    made = grow(world, 2)
    small = counts(world, urls, made, user)
    made = grow(world, 18)  # 20 of everything: ten times as many rows
    large = counts(world, urls, made, user)
    grown = {url: (small[url], large[url]) for url in urls if large[url] != small[url]}
    assert not grown, f"页面查询次数随数据量增长（2 行 → 20 行）：{grown}"


INSPECTION_PAGES = [
    "/inspections/", "/inspections/targets/", "/inspections/inspectors/", "/inspections/rules/", "/inspections/plans/",
    "/inspections/plans/{plan}/", "/inspections/tasks/", "/inspections/tasks/{task}/", "/gs/inspections/", "/gs/inspections/{plan}/",
    "/api/v1/inspections/targets/", "/api/v1/inspections/inspectors/", "/api/v1/inspections/plans/", "/api/v1/inspections/tasks/",
    "/api/v1/public/inspections/", "/api/v1/public/inspections/results/",
]


def drawn_round(world, targets: int, inspectors: int, start: int) -> dict:
    """A round of 双随机 drawn at 100 % from `targets` new subjects and `inspectors` new inspectors, two results in."""
    from django.utils import timezone

    from zhifa.inspections import services as inspections
    from zhifa.inspections.models import RiskClass
    from zhifa.inspections.tests import factories as fx
    from zhifa.powers.models import PublicItem

    item = PublicItem.objects.filter(agency=world.city_a, list_kind="inspections").first() or fx.item(world)
    fx.rules(world, item, ratios={RiskClass.HIGH: ("100", 12)})
    fx.targets(world, {RiskClass.HIGH: targets}, start=start)
    fx.inspectors(world, inspectors, prefix=f"检查员{start}-")
    plan = fx.plan(world, item, title=f"第{start}轮")
    inspections.commit_plan(world.admin, plan)
    inspections.enter_seed(world.admin, plan, str(start))
    tasks = list(plan.tasks.order_by("position"))
    for task in tasks[:2]:
        inspections.record_result(world.head_a, task, outcome="closed", checked_on=timezone.localdate(), note="已注销")
    return {"plan": plan, "task": tasks[-1]}


def test_inspection_pages_cost_the_same_for_ten_times_the_rows(world):
    small = counts(world, INSPECTION_PAGES, drawn_round(world, 3, 2, 1), world.head_a)
    large = counts(world, INSPECTION_PAGES, drawn_round(world, 30, 20, 100), world.head_a)
    grown = {url: (small[url], large[url]) for url in INSPECTION_PAGES if large[url] != small[url]}
    assert not grown, f"页面查询次数随数据量增长：{grown}"


SUPERVISION_PAGES = [
    "/supervision/clues/", "/supervision/clues/?open=", "/supervision/models/", "/supervision/directives/", "/supervision/reports/",
    "/api/v1/supervision/clues/", "/api/v1/supervision/directives/", "/api/v1/supervision/reports/", "/gs/annual/regions/",
]


def supervised(world, n: int) -> dict:
    """n more agencies with a clue each (reviewers below 5 %) and a directive each, from the city 司法局."""
    from zhifa.supervision import services as supervision

    for i in range(n):
        agency = f.agency(f"嘉兴市第{Agency.objects.count()}执法局", region="330400")
        for j in range(21):
            f.person(agency, Role.OFFICER, full_name=f"执法员{i}-{j}")
        supervision.issue_directive(world.city_supervisor, agency=agency, kind="urge", subject="法制审核人员配备不足",
                                    content="请按不少于执法人员百分之五的比例配备法制审核人员。", basis="国办发〔2018〕118号")
    supervision.run_models(["reviewer_staffing"])
    return {}


def test_supervision_pages_cost_the_same_for_ten_times_the_rows(world):
    small = counts(world, SUPERVISION_PAGES, supervised(world, 2), world.city_supervisor)
    large = counts(world, SUPERVISION_PAGES, supervised(world, 18), world.city_supervisor)
    grown = {url: (small[url], large[url]) for url in SUPERVISION_PAGES if large[url] != small[url]}
    assert not grown, f"页面查询次数随数据量增长：{grown}"
