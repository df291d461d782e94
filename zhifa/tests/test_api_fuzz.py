"""Schemathesis against the committed OpenAPI schema (docs/api/openapi.yaml): generated requests to every
operation, as an administrator and anonymously, never get a 5xx. Examples are bounded to keep CI short."""

import io
import re
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
schema = schemathesis.openapi.from_path(str(SCHEMA_FILE))


# Integer bounds that DRF takes from the database's column ranges (SQLite: 64-bit; PostgreSQL: 16/32-bit).
_DB_RANGES = re.compile(r"^\s+(maximum: (9223372036854775807|2147483647|32767)|format: int64)\n", re.M)


def _portable(schema_text: str) -> str:
    return _DB_RANGES.sub("", schema_text)


def test_committed_schema_is_current():
    out = io.StringIO()
    call_command("spectacular", stdout=out)
    assert _portable(out.getvalue()) == _portable(SCHEMA_FILE.read_text(encoding="utf-8")), (
        "docs/api/openapi.yaml 与代码生成的接口定义不一致：运行 .venv/bin/python manage.py spectacular --file docs/api/openapi.yaml"
    )


@pytest.fixture
def keep_test_connection():
    """As Django's own test client does: the WSGI handler must not close the test's connection after each
    request (PostgreSQL would lose the test transaction; SQLite's in-memory database hides it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world, keep_test_connection):
    from zhifa.cases.tests.factories import open_penalty, team
    from zhifa.org.services import issue_api_token

    open_penalty(world, team(world))  # a case, documents and procedures for the generated requests to reach
    return issue_api_token(None, world.admin)[1]


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_is_a_server_error(case, admin_token):
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    for headers in ({"Authorization": f"Token {admin_token}"}, {}):
        response = case.call(app=app, headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
