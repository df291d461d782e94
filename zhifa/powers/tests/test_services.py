"""The 事前公开 lists, rule by rule: who keeps them, what an item must hold, versions on every change, an import
that is all or nothing, and the public API that serves the same content as the pages."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook
from rest_framework.test import APIClient

from zhifa.core.roles import Role
from zhifa.ledger.models import LedgerEvent
from zhifa.org.tests import factories as f
from zhifa.powers import services
from zhifa.powers.models import PublicItem, PublicItemVersion

POWER = {"category": "行政处罚", "basis": "《危险化学品安全管理条例》第八十条", "procedure": "penalty_general"}


def unchanged(call, *args, match, error=ValidationError, **kwargs):
    before = (LedgerEvent.objects.count(), PublicItem.objects.count(), PublicItemVersion.objects.count(),
              list(PublicItem.objects.order_by("pk").values_list("version", "is_active", "name")))
    with pytest.raises(error, match=match):
        call(*args, **kwargs)
    assert (LedgerEvent.objects.count(), PublicItem.objects.count(), PublicItemVersion.objects.count(),
            list(PublicItem.objects.order_by("pk").values_list("version", "is_active", "name"))) == before


def save(actor, agency, **overrides):
    data = {"list_kind": "powers", "code": "330400-CF-001", "name": "对未按规定储存危险化学品的处罚", "fields": dict(POWER)} | overrides
    return services.save_item(actor, agency, **data)


def sheet(rows, header=("事项编码", "事项名称", "事项类别", "设定依据")) -> io.BytesIO:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_admins_and_the_agencys_own_head_keep_its_lists(world):
    assert save(world.admin, world.city_a).version == 1
    assert save(world.head_a, world.city_a, name="对违规储存危险化学品的处罚").version == 2
    other_head = f.person(world.other_city, Role.HEAD, full_name="湖州局长")
    for actor in (world.officer_a, world.reviewer_a, world.city_supervisor, other_head):
        unchanged(save, actor, world.city_a, match="系统管理员或本机关负责人", error=PermissionDenied)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"list_kind": "wishes"}, "清单类型无效"),
        ({"code": "  "}, "事项编码不能为空"),
        ({"code": "X" * 61}, "不超过 60 个字符"),
        ({"name": ""}, "事项名称不能为空"),
        ({"fields": {"category": "行政处罚"}}, "“设定依据”不能为空"),
        ({"fields": {**POWER, "bonus": "x"}}, "未知的栏目：bonus"),
        ({"name": "对\u202e处罚"}, "控制字符"),
    ],
)
def test_an_item_that_is_not_complete_is_refused(world, overrides, message):
    unchanged(save, world.admin, world.city_a, **overrides, match=message)


def test_every_change_is_a_version_on_the_ledger_and_saving_the_same_is_not(world):
    item = save(world.admin, world.city_a)
    events = LedgerEvent.objects.filter(kind="powers.item.saved").count()
    again = save(world.admin, world.city_a)
    assert again.version == 1 and LedgerEvent.objects.filter(kind="powers.item.saved").count() == events
    changed = save(world.admin, world.city_a, fields={**POWER, "basis": "《安全生产法》第九十九条"}, note="依据修订")
    assert changed.version == 2 and [v.version for v in item.versions.order_by("version")] == [1, 2]
    data = LedgerEvent.objects.filter(kind="powers.item.saved").latest("seq").parsed["data"]
    assert data["version"] == 2 and data["note"] == "依据修订" and data["fields"]["basis"] == "《安全生产法》第九十九条"


def test_an_import_is_all_or_nothing_and_names_every_bad_row(world):
    save(world.admin, world.city_a)
    rows = [
        ("A-1", "事项一", "行政处罚", "某法第一条"),
        ("A-1", "事项一（重复）", "行政处罚", "某法第二条"),
        ("", "无编码", "行政处罚", "某法"),
        ("A-3", "缺依据", "行政处罚", ""),
    ]
    unchanged(services.import_list, world.admin, world.city_a, list_kind="powers", fileobj=sheet(rows), match="第 3 行：事项编码 A-1 重复")
    with pytest.raises(ValidationError) as exc:
        services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=sheet(rows))
    messages = " ".join(exc.value.messages)
    assert "第 4 行" in messages and "第 5 行" in messages and "第 2 行" not in messages


def test_an_import_adds_versions_and_withdraws_what_the_sheet_no_longer_has(world):
    save(world.admin, world.city_a, code="OLD-1", name="旧事项")
    counts = services.import_list(world.admin, world.city_a, list_kind="powers", fileobj=sheet([("A-1", "事项一", "行政处罚", "某法第一条")]))
    assert counts == {"added": 1, "changed": 0, "unchanged": 0, "withdrawn": 1}
    old = PublicItem.objects.get(code="OLD-1")
    assert not old.is_active and old.version == 2 and "表格中已无此事项" in old.versions.latest("version").note


@pytest.mark.parametrize(
    "content, message",
    [(b"not a spreadsheet", "无法读取该文件"), (None, "第一行应为表头")],
)
def test_a_file_that_is_not_the_list_is_refused(world, content, message):
    fileobj = io.BytesIO(content) if content else sheet([("x", "y")], header=("编码", "名称"))
    unchanged(services.import_list, world.admin, world.city_a, list_kind="powers", fileobj=fileobj, match=message)


def test_the_public_api_serves_the_pages_content(world, client):
    item = save(world.admin, world.city_a)
    api = APIClient()
    listed = api.get(f"/api/v1/public/agencies/{world.city_a.pk}/items/", {"list": "powers"}).json()
    assert [row["code"] for row in listed] == ["330400-CF-001"]
    detail = api.get(f"/api/v1/public/items/{item.pk}/").json()
    assert detail["content"]["设定依据"] == POWER["basis"] and detail["list_title"] == "权责清单"
    assert detail["content"]["适用程序"] != "penalty_general"  # a procedure by its name, never its code
    page = client.get(f"/gs/items/{item.pk}/").content.decode()
    assert POWER["basis"] in page
    assert api.get(f"/api/v1/public/agencies/{world.city_a.pk}/items/", {"list": "wishes"}).status_code == 400
    assert api.get("/api/v1/public/agencies/999999/items/").status_code == 404
    names = {row["name"] for row in api.get("/api/v1/public/agencies/", {"q": "嘉兴"}).json()}
    assert world.city_a.name in names and world.other_city.name not in names
