"""Schemathesis against the committed OpenAPI schema (docs/api/openapi.yaml): generated requests to every
operation, as an administrator and anonymously, never get a 5xx. Examples are bounded to keep CI short."""

import io
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
schema = schemathesis.openapi.from_path(str(SCHEMA_FILE))


def test_committed_schema_is_current():
    out = io.StringIO()
    call_command("spectacular", stdout=out)
    assert out.getvalue() == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "docs/api/openapi.yaml 与代码生成的接口定义不一致：运行 .venv/bin/python manage.py spectacular --file docs/api/openapi.yaml"
    )


@pytest.fixture
def admin_token(world):
    from rest_framework.authtoken.models import Token

    from zhifa.cases.tests.factories import open_penalty, team

    open_penalty(world, team(world))  # a case, documents and procedures for the generated requests to reach
    return Token.objects.get_or_create(user=world.admin)[0].key


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_request_is_a_server_error(case, admin_token):
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    for headers in ({"Authorization": f"Token {admin_token}"}, {}):
        response = case.call(app=app, headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
