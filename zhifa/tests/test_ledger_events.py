"""Typed ledger events: every kind is declared once with its label and fields, append refuses anything else,
every declared kind is emitted by its app's code, and docs/ledger.md lists exactly the declared kinds."""

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction

from zhifa.ledger import events
from zhifa.ledger import services as ledger
from zhifa.ledger.models import LedgerEvent

ROOT = Path(__file__).resolve().parents[1]
KIND = re.compile(r"^(ledger|core|org|workflow|powers|procedures|cases|documents|evidence|review|publicity|inspections|supervision)\.[a-z_]+(\.[a-z_]+)?$")


EMITTERS = {"append", "_record", "record_event"}  # ledger.append and the apps' wrappers around it


def emitted_kinds(app: str) -> set[str]:
    """The kinds the app's code (tests excluded) passes to the ledger: the first argument of every emitter call."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in EMITTERS and isinstance(first, ast.Constant) and isinstance(first.value, str) and KIND.match(first.value):
                found.add(first.value)
    return found


def test_append_refuses_an_undeclared_kind_and_changes_nothing(db):
    before = LedgerEvent.objects.count()
    with pytest.raises(events.UndeclaredEvent, match="未声明的账本事件类型"):
        with transaction.atomic():
            ledger.append("cases.case.teleported", data={})
    assert LedgerEvent.objects.count() == before


def test_append_refuses_missing_declared_fields(db):
    before = LedgerEvent.objects.count()
    with pytest.raises(events.UndeclaredEvent, match="witness_removed 缺少声明的数据字段：name"):
        with transaction.atomic():
            ledger.append("ledger.witness_removed", data={"nom": "x"})
    with transaction.atomic():
        ledger.append("ledger.witness_removed", data={"name": "省司法厅见证节点", "extra": 1})  # more is allowed
    assert LedgerEvent.objects.count() == before + 1


def test_a_kind_cannot_be_declared_twice_with_different_meaning():
    events.declare("ledger.witness_removed", "停用见证方", "name")  # the same declaration again is harmless
    with pytest.raises(events.UndeclaredEvent, match="重复声明"):
        events.declare("ledger.witness_removed", "删除见证方", "name")


APPS = ["ledger", "core", "org", "workflow", "powers", "procedures", "cases", "documents", "evidence", "review", "publicity", "inspections", "supervision"]


@pytest.mark.parametrize("app", APPS)
def test_each_app_declares_its_kinds_and_emits_only_declared_ones(app):
    declared = {k.name for k in events.all_kinds()}
    own = {k for k in declared if k.split(".")[0] == app}
    assert own, f"{app} 没有声明任何账本事件类型"
    if app != "ledger":
        source = (ROOT / app / "events.py").read_text(encoding="utf-8")
        assert all(f'"{k}"' in source for k in own), f"{app} 的事件类型应在 {app}/events.py 中声明"
    undeclared = emitted_kinds(app) - declared
    assert not undeclared, f"{app} 写入了未声明的事件类型：{sorted(undeclared)}"


def test_every_declared_kind_is_emitted_by_some_service():
    emitted = set().union(*(emitted_kinds(app) for app in APPS))
    unused = {k.name for k in events.all_kinds()} - emitted
    assert not unused, f"声明了但代码从不写入的事件类型：{sorted(unused)}"


def test_every_declared_kind_has_a_chinese_label_and_a_well_formed_name():
    for kind in events.all_kinds():
        assert KIND.match(kind.name), kind.name
        assert re.search(r"[\u4e00-\u9fff]", kind.label), kind.name
        assert len(set(kind.fields)) == len(kind.fields), kind.name


def test_docs_ledger_md_lists_the_declared_kinds():
    text = (ROOT.parent / "docs" / "ledger.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- kinds:start -->\n(.*?)<!-- kinds:end -->", text, flags=re.S)
    assert match, "docs/ledger.md 缺少事件类型表（<!-- kinds:start --> … <!-- kinds:end -->）"
    assert match.group(1) == events.markdown(), "docs/ledger.md 的事件类型表已过时：运行 zhifa ledger kinds --markdown 更新"


def test_pages_show_labels_not_kinds(world, client):
    from zhifa.org import services as org_services

    org_services.update_person(world.admin, world.officer_a, position="大队长")
    client.force_login(world.admin)
    body = client.get("/ledger/").content.decode()
    assert "修改人员信息" in body
    assert ">org.person.updated<" not in body
    filtered = client.get("/ledger/", {"kind": "org.person.updated"}).content.decode()
    assert '<option value="org.person.updated" selected>修改人员信息</option>' in filtered  # chosen by its label
    assert filtered.count("<td title=\"org.person.updated\">修改人员信息</td>") == 1
