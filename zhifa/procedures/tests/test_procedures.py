import copy
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from zhifa.ledger.models import LedgerEvent
from zhifa.procedures import definitions, services
from zhifa.procedures.definitions import Procedure
from zhifa.procedures.flowchart import layout, render_svg
from zhifa.procedures.models import ProcedureDefinition


def penalty():
    return next(d for d in definitions.bundled() if d["code"] == "penalty_general")


def test_bundled_definitions_are_valid_and_cover_the_five_procedures():
    codes = {d["code"]: d for d in definitions.bundled()}
    assert set(codes) == {"penalty_general", "penalty_simple", "coercion_seizure", "permit", "inspection"}
    for d in codes.values():
        assert definitions.validate(d) == [], d["code"]
    p = Procedure(codes["penalty_general"])
    assert next(x for x in p.deadlines if x["code"] == "decision")["amount"] == 90
    assert "defence_heard" in p.transition("statement", "decision")["guards"]
    assert Procedure(codes["coercion_seizure"]).stage("enforcement")["recordings"] == "required"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(start="nowhere"), "起始环节"),
        (lambda d: d["transitions"].append({"from": "filing", "to": "mars", "name": "x"}), "起止环节不存在"),
        (lambda d: d["stages"][0].update(documents=["no_such_doc"]), "不是已知的执法文书类型"),
        (lambda d: d["transitions"][0].update(guards=["because"]), "未定义"),
        (lambda d: d["deadlines"][0].update(unit="weeks"), "期间无效"),
        (lambda d: d["deadlines"][0].update(basis=""), "缺少法律依据"),
        (lambda d: d["stages"][-1].update(final=False), "结束环节"),
        (lambda d: d["stages"].append({"code": "limbo", "name": "无人可达"}), "无法到达"),
    ],
)
def test_invalid_definitions_are_refused_with_chinese_reasons(mutate, message):
    d = copy.deepcopy(penalty())
    mutate(d)
    assert any(message in e for e in definitions.validate(d))


def test_publishing_creates_immutable_versions_on_the_ledger(world):
    version, created = services.publish_definition(world.admin, penalty())
    assert created and version.version == 1
    assert services.publish_definition(world.admin, penalty()) == (version, False)
    changed = copy.deepcopy(penalty())
    changed["deadlines"][0]["amount"] = 60
    second, created = services.publish_definition(world.admin, changed)
    assert created and second.version == 2 and version.definition["deadlines"][0]["amount"] == 90
    assert LedgerEvent.objects.filter(kind="procedures.definition.published").count() == 2
    with pytest.raises(PermissionDenied):
        services.publish_definition(world.officer_a, changed)
    broken = copy.deepcopy(penalty())
    broken["start"] = "x"
    with pytest.raises(ValidationError):
        services.publish_definition(world.admin, broken)
    assert ProcedureDefinition.objects.count() == 2


@pytest.mark.parametrize("code", ["penalty_general", "penalty_simple", "coercion_seizure", "permit", "inspection"])
def test_flowchart_is_drawn_from_the_definition(code):
    d = next(x for x in definitions.bundled() if x["code"] == code)
    p = Procedure(d)
    svg = render_svg(p)
    root = ET.fromstring(svg)  # well-formed
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {s["name"] for s in p.stages} <= texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) == len(d["transitions"]) + 1  # + arrow marker
    position, forward, backward = layout(p)
    assert all(position[t["to"]][0] > position[t["from"]][0] for t in forward)  # forward arrows point down
    assert all(position[t["to"]][0] <= position[t["from"]][0] for t in backward)


def test_public_pages_and_api_need_no_login(client, world):
    services.publish_bundled(world.admin)
    page = client.get("/gs/procedures/").content.decode()
    assert "行政处罚普通程序" in page and "行政许可" in page
    detail = client.get("/gs/procedures/penalty_general/").content.decode()
    assert "<svg" in detail and "行政处罚法第六十条" in detail and "立案审批表" in detail
    svg = client.get("/gs/procedures/penalty_general/flowchart.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"\xe7\xab\x8b\xe6\xa1\x88" in svg.content  # 立案
    api = APIClient().get("/api/v1/public/procedures/permit/").json()
    assert api["version"] == 1 and api["definition"]["deadlines"][1]["amount"] == 20
    assert client.get("/gs/procedures/nothing/").status_code == 404


def test_command_line(world, tmp_path):
    out = io.StringIO()
    call_command("procedures", "--as", "admin", "publish", "--bundled", stdout=out)
    assert out.getvalue().count("已发布") == 5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**penalty(), "start": "x"}), encoding="utf-8")
    with pytest.raises(CommandError, match="起始环节"):
        call_command("procedures", "check", str(bad))
    with pytest.raises(CommandError, match="只有系统管理员"):
        call_command("procedures", "--as", "officer_a", "publish", "--bundled")
    out = io.StringIO()
    call_command("procedures", "svg", "permit", stdout=out)
    assert out.getvalue().startswith("<svg")
