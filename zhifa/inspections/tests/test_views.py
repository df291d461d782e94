"""The 双随机 pages, staff and public, and their API: what each person sees, what a bad request gets."""

import json

import pytest
from django.utils import timezone

from zhifa.inspections import services
from zhifa.inspections.models import Inspector, Plan, Target, Task, TaskInspector

from . import factories as fx


@pytest.fixture
def drawn(world):
    return fx.drawn(world)


STAFF_PAGES = ["/inspections/", "/inspections/targets/", "/inspections/targets/new/", "/inspections/targets/import/", "/inspections/inspectors/",
               "/inspections/rules/", "/inspections/plans/", "/inspections/plans/new/", "/inspections/tasks/", "/inspections/tasks/?mine=1"]


def test_every_staff_page_renders_for_an_administrator(client, world, drawn):
    plan, _ = drawn
    task = plan.tasks.first()
    client.force_login(world.admin)
    for url in STAFF_PAGES + [f"/inspections/plans/{plan.pk}/", f"/inspections/tasks/{task.pk}/", f"/inspections/targets/{task.target_id}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    qr = client.get(f"/inspections/tasks/{task.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    record = client.get(f"/inspections/plans/{plan.pk}/record.json")
    assert json.loads(record.content)["format"] == "zhifa-draw/1"


def test_an_inspector_sees_their_task_and_not_another_agencys_plan(client, world, drawn):
    plan, people = drawn
    member = TaskInspector.objects.filter(is_active=True).select_related("person").first()
    client.force_login(member.person)
    mine = client.get("/inspections/tasks/?mine=1").content.decode()
    assert member.task.target.name in mine
    page = client.get(f"/inspections/tasks/{member.task_id}/").content.decode()
    assert "开始检查" in page and "回避" in page
    client.force_login(world.officer_other)
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/inspections/tasks/{member.task_id}/").status_code == 404
    assert client.get("/inspections/plans/new/").status_code == 403


def test_a_head_makes_commits_and_draws_a_plan_through_the_pages(client, world):
    item, _ = fx.ready(world)
    client.force_login(world.head_a)
    today = timezone.localdate()
    response = client.post("/inspections/plans/new/", {
        "item": item.pk, "title": "危险化学品经营企业抽查", "year": today.year, "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "inspectors_per_agency": 2, "seed_source": "lottery", "seed_description": "中国福利彩票双色球第 2026138 期开奖号码",
    })
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/inspections/plans/{plan.pk}/")
    client.post(f"/inspections/plans/{plan.pk}/commit/")
    response = client.post(f"/inspections/plans/{plan.pk}/", {"seed": "03 11 17 22 28 31 + 09"})
    assert response.status_code == 302 and Task.objects.filter(plan=plan).count() == 6
    again = client.post(f"/inspections/plans/{plan.pk}/", {"seed": "01"}, follow=True).content.decode()
    assert "已摇号" in again or "不能再次" in again
    assert Task.objects.filter(plan=plan).count() == 6


def test_a_bad_spreadsheet_on_the_import_page_is_a_chinese_message(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.admin)
    response = client.post("/inspections/targets/import/", {"agency": world.city_a.pk, "file": SimpleUploadedFile("a.xlsx", b"\x00\x01garbage")})
    assert response.status_code == 400 and "xlsx" in response.content.decode()
    assert not Target.objects.exists()


@pytest.mark.parametrize("url", ["/inspections/plans/99999999999999999999999/", "/inspections/tasks/9223372036854775808/",
                                 "/inspections/targets/?q=%00%01", "/inspections/plans/?year=99999", "/inspections/tasks/?plan=abc",
                                 "/gs/inspections/9223372036854775807/", "/gs/inspections/check/%00/", "/gs/inspections/check/" + "x" * 300 + "/"])
def test_hostile_addresses_are_answered_without_a_server_error(client, world, url):
    client.force_login(world.admin)
    assert client.get(url).status_code in (200, 400, 404)


def test_the_inspector_library_page_adds_by_username_and_refuses_the_uncertified(client, world):
    client.force_login(world.head_a)
    added = client.post("/inspections/inspectors/", {"agency": world.city_a.pk, "username": "officer_a", "note": ""})
    assert added.status_code == 302 and Inspector.objects.filter(person=world.officer_a, is_active=True).exists()
    refused = client.post("/inspections/inspectors/", {"agency": world.city_a.pk, "username": "reviewer_a"})
    assert refused.status_code == 400 and "没有有效的行政执法证" in refused.content.decode()
    unknown = client.post("/inspections/inspectors/", {"agency": world.city_a.pk, "username": "officer_other"})
    assert unknown.status_code == 400 and "没有这个用户名" in unknown.content.decode()
    other = client.post("/inspections/inspectors/", {"agency": world.other_city.pk, "username": "officer_other"})
    assert other.status_code == 400 and not Inspector.objects.filter(person=world.officer_other).exists()
    everyone = client.post("/inspections/inspectors/eligible/", {"agency": world.city_a.pk}, follow=True).content.decode()
    assert "没有可以新列入的人员" in everyone


def test_recusal_through_the_page_replaces_the_inspector(client, world, drawn):
    plan, _ = drawn
    member = TaskInspector.objects.filter(is_active=True).select_related("person").first()
    client.force_login(member.person)
    page = client.post(f"/inspections/tasks/{member.task_id}/recuse/{member.pk}/", {"reason": "与检查对象法定代表人系同学"}, follow=True).content.decode()
    assert "已回避" in page
    member.refresh_from_db()
    assert not member.is_active and member.replaced_by is not None
    assert client.post(f"/inspections/tasks/{member.task_id}/recuse/{member.pk}/", {"reason": "x"}).status_code == 302


# ---------------------------------------------------------------- public

def test_the_public_sees_the_plan_its_results_the_record_and_the_verifier(client, drawn):
    plan, _ = drawn
    listing = client.get("/gs/inspections/").content.decode()
    assert plan.number in listing
    page = client.get(f"/gs/inspections/{plan.pk}/").content.decode()
    assert plan.draw.targets_sm3 in page and "03 11 17 22 28 31 + 09" in page
    record = json.loads(client.get(f"/gs/inspections/{plan.pk}/record.json").content)
    assert record["commitment"]["targets_sm3"] == plan.draw.targets_sm3
    verifier = client.get("/gs/inspections/verify.py")
    assert verifier.status_code == 200 and b"zhifa-draw/1" in b"".join(verifier.streaming_content)
    api = client.get(f"/api/v1/public/inspections/{plan.pk}/record/").json()
    assert api["seed"]["value"] == "03 11 17 22 28 31 + 09"


def test_a_draft_plan_is_not_public(client, world):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    assert client.get(f"/gs/inspections/{plan.pk}/").status_code == 404


def test_scanning_the_code_shows_who_may_inspect(client, drawn):
    plan, _ = drawn
    task = plan.tasks.first()
    page = client.get(f"/gs/inspections/check/{task.token}/").content.decode()
    for member in task.inspectors.filter(is_active=True).select_related("person"):
        assert member.person.full_name in page
    assert "真实有效" in page and task.target.name in page
    assert client.get("/gs/inspections/check/not-a-real-token/").status_code == 404


# ---------------------------------------------------------------- API

def test_the_api_drives_a_plan_from_creation_to_results(client, world):
    item, _ = fx.ready(world)
    client.force_login(world.admin)
    today = timezone.localdate()
    created = client.post("/api/v1/inspections/plans/", {
        "item": item.pk, "title": "接口抽查", "year": today.year, "starts_on": today.isoformat(), "ends_on": today.isoformat(),
        "seed_description": "体育彩票超级大乐透第 26138 期开奖号码",
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(f"/api/v1/inspections/plans/{pk}/commit/").json()["status"] == "committed"
    drawn = client.post(f"/api/v1/inspections/plans/{pk}/seed/", {"seed": "02 09 15 23 31 + 04 11"}, content_type="application/json")
    assert drawn.status_code == 200 and drawn.json()["draw"]["seed"] == "02 09 15 23 31 + 04 11"
    twice = client.post(f"/api/v1/inspections/plans/{pk}/seed/", {"seed": "1"}, content_type="application/json")
    assert twice.status_code == 400 and "不能再次" in json.dumps(twice.json(), ensure_ascii=False), twice.json()
    tasks = client.get(f"/api/v1/inspections/tasks/?plan={pk}").json()
    task = tasks["results"][0]
    refused = client.post(f"/api/v1/inspections/tasks/{task['id']}/result/", {"outcome": "closed", "checked_on": today.isoformat(), "note": "x"},
                          content_type="application/json")
    assert refused.status_code == 403  # the administrator keeps the system; the inspectors and their head record results
    client.force_login(world.head_a)
    done = client.post(f"/api/v1/inspections/tasks/{task['id']}/result/", {"outcome": "closed", "checked_on": today.isoformat(), "note": "已注销"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    public = client.get("/api/v1/public/inspections/results/").json()
    assert public["count"] == 1 and public["results"][0]["outcome"] == "检查对象已注销或停业"


@pytest.mark.parametrize("body", [{"seed": ""}, {"seed": "a" * 201}, {"seed": ["1"]}, {}, {"seed": "\u0000"}])
def test_bad_seed_bodies_are_400_and_change_nothing(client, world, body):
    item, _ = fx.ready(world)
    plan = fx.plan(world, item)
    services.commit_plan(world.admin, plan)
    client.force_login(world.admin)
    response = client.post(f"/api/v1/inspections/plans/{plan.pk}/seed/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_results_are_open_data_in_csv_with_formulas_defused(client, world):
    item = fx.item(world)
    fx.rules(world, item, ratios={"high": ("100", 1)})
    fx.targets(world, {"high": 1})
    fx.inspectors(world, 2)
    services.save_target(world.admin, world.city_a, {"name": "=HYPERLINK(\"http://x\")公司", "code": fx.uscc(900), "kind": "enterprise",
                                                     "region_code": "330402", "risk_class": "high"})
    plan = fx.plan(world, item)
    services.commit_plan(world.admin, plan)
    services.enter_seed(world.admin, plan, "7")
    for task in plan.tasks.all():
        services.record_result(world.head_a, task, outcome="closed", checked_on=timezone.localdate(), note="已注销")
    body = b"".join(client.get(f"/gs/inspections/results.csv?plan={plan.pk}").streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("计划编号,执法主体") and len(lines) == 3
    assert "'=HYPERLINK" in body and "检查对象已注销或停业" in body
    assert client.get("/gs/inspections/results.csv?plan=abc").status_code == 400
