"""The layer rule of docs/architecture.md: an app imports only from the apps listed above it.

Every import in every module of an app (tests included, imports inside functions included) is checked
against the order below. zhifa.tests (cross-app tests) and the project modules (urls, cli, settings)
sit below every app: they may import anything, and no app may import them.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = [
    "ledger", "core", "org", "workflow", "powers", "procedures", "cases", "documents", "evidence", "review", "publicity",
    "inspections", "assist", "supervision", "demodata",
]
# Top-level modules of the zhifa package that belong to an app (the working-day calendar is core's).
MODULE_OWNER = {"workdays": "core"}
PROJECT = {"tests", "urls", "api_urls", "cli", "settings", "wsgi", "asgi"}


def owner(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "zhifa" or len(parts) < 2:
        return None
    return MODULE_OWNER.get(parts[1], parts[1])


def imported_modules(path: Path, package: str):
    """(line, absolute module name) for every import in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "zhifa":  # from zhifa import workdays
                for alias in node.names:
                    yield node.lineno, f"zhifa.{alias.name}"
            else:
                yield node.lineno, module


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for app in LAYERS:
        app_dir = root / app
        if not app_dir.is_dir():
            continue
        for path in sorted(app_dir.rglob("*.py")):
            rel = path.relative_to(root.parent)
            package = ".".join(rel.with_suffix("").parts[:-1])
            for line, module in imported_modules(path, package):
                target = owner(module)
                if target is None or target == app:
                    continue
                if target in PROJECT:
                    found.append(f"{rel}:{line} 导入了项目层模块 {module}（应用不得依赖 zhifa.{target}）")
                elif target not in LAYERS:
                    found.append(f"{rel}:{line} 导入了未在层次表中登记的 {module}")
                elif LAYERS.index(target) > LAYERS.index(app):
                    found.append(f"{rel}:{line} {app} 导入了位于其下层的 {target}（{module}）")
    return found


def test_no_app_imports_an_app_listed_below_it():
    problems = violations()
    assert not problems, "违反分层规则（docs/architecture.md）：\n" + "\n".join(problems)


def test_every_app_directory_is_in_the_layer_table():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"未登记层次的应用：{sorted(apps - set(LAYERS))}"


def test_the_layer_table_in_the_docs_is_this_order():
    text = (ROOT.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `zhifa/(\w+)` \|", text, flags=re.M)
    assert documented == LAYERS


@pytest.mark.parametrize(
    "app, source, expected",
    [
        ("ledger", "from zhifa.core.roles import Role\n", "ledger 导入了位于其下层的 core"),
        ("cases", "def f():\n    from zhifa.documents import services\n", "cases 导入了位于其下层的 documents"),
        ("org", "from ..review import models\n", "org 导入了位于其下层的 review"),
        ("core", "from zhifa import urls\n", "项目层模块 zhifa.urls"),
        ("documents", "from zhifa.cases import services\n", None),
    ],
)
def test_the_check_catches_a_wrong_way_import(tmp_path, app, source, expected):
    package = tmp_path / "zhifa"
    (package / app).mkdir(parents=True)
    (package / app / "bad.py").write_text(source, encoding="utf-8")
    found = violations(package)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0]
