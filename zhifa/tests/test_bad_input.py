"""Garbage sent to every page and endpoint: a Chinese error or a redirect, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

GARBAGE = {
    "q": "'; DROP TABLE org_agency; --",
    "year": "９９９９",
    "date": "2026-02-30",
    "start": "\x00",
    "basis": "正常\x00",
    "amount": "1e999",
    "unit": "🙂",
    "page": "-1",
    "role": "<script>",
    "name": "x" * 5000,
    "uscc": "０" * 18,
    "level": "[]",
    "agency": "abc",
    "person": "99999999999999999999",
    "status": "dead",
    "valid_from": "yesterday",
    "roles": "emperor",
    "is_workday": "maybe",
    "limit": "-5",
    "offset": "x",
    "tree_size": "-1",
    "first": "x",
    "second": "1e9",
    "kind": "k" * 100,
    "captured_at": "昨天",
    "collector": "abc",
    "reason": "r" * 1000,
    "evidence": "x",
    "case_number": "c" * 100,
    "since": "2026-13-01",
    "to": "../../closed",
    "outcome": "mercy",
    "choice": "both",
    "doc_type": "d" * 50,
    "penalty_kinds": "prison",
    "fine_amount": "1e400",
    "content": "{not json",
    "procedure_code": "penalty_general",
    "officers": "everyone",
    "criterion": "vibes",
    "checklist": "all",
    "signed_on": "2099-01-01",
}


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _urls(world):
    from zhifa.cases.tests.factories import open_penalty, team
    from zhifa.documents.tests.factories import make_document
    from zhifa.evidence.tests.factories import evidence

    case = open_penalty(world, team(world))
    document = make_document(world.officer_a, case, "filing_approval")
    pks = [str(world.cred_other.pk), str(evidence(world.officer_other).pk), str(case.pk), str(document.pk), "999999"]
    values = {"<int:case_pk>": [str(case.pk), "999999"], "<slug:code>": ["penalty_general", "nothing"], "<int:seq>": ["0", "999999"], "<int:pk>": pks, "<str:token>": [world.officer_a.public_token, "%00bad"]}
    for raw in _patterns():
        route = raw.replace("^", "").replace("$", "").replace("(?P<pk>[^/.]+)", "<int:pk>")
        if "(?P<format>" in route or "<drf_format_suffix" in route or route == "logout/":
            continue
        urls = ["/" + route]
        for key, options in values.items():
            if key in route:
                urls = [u.replace(key, v) for u in urls for v in options]
        yield from urls


@pytest.mark.parametrize("who", ["anonymous", "officer_a", "admin"])
def test_no_500_anywhere(world, client, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    checked = 0
    for url in _urls(world):
        for method in ("get", "post"):
            response = getattr(client, method)(url, GARBAGE)
            assert response.status_code < 500, (method, url, response.status_code)
            if response.status_code == 400 and response.get("Content-Type", "").startswith("application/json"):
                assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json())), url
            checked += 1
        response = client.patch(url, '{"name": ', content_type="application/json")
        assert response.status_code < 500, ("patch", url)
    assert checked > 80


def test_malformed_json_to_case_endpoints(world):
    from rest_framework.test import APIClient

    from zhifa.cases.tests.factories import open_penalty, team
    from zhifa.documents import services as docs
    from zhifa.documents.tests.factories import make_document

    case = open_penalty(world, team(world))
    doc = make_document(world.officer_a, case, "filing_approval")
    draft = docs.draft_document(world.officer_a, case, doc_type="inquiry_record")
    api = APIClient()
    api.force_authenticate(world.officer_a)
    probes = [
        ("post", "/api/v1/cases/", {"parties": "x", "officers": "y", "procedure_code": []}),
        ("post", f"/api/v1/cases/{case.pk}/proposal/", {"outcome": "penalty", "penalty_kinds": [1, 2], "fine_amount": "NaN"}),
        ("post", f"/api/v1/cases/{case.pk}/move/", {"to": None}),
        ("post", "/api/v1/documents/", {"case": "x"}),
        ("post", "/api/v1/documents/", {"case": 99999, "doc_type": "filing_approval"}),
        ("patch", f"/api/v1/documents/{draft.pk}/", {"content": {"transcript": {"a": 1}}}),
        ("patch", f"/api/v1/documents/{draft.pk}/", {"content": "x"}),
        ("patch", f"/api/v1/documents/{doc.pk}/", {"content": {"case_summary": "改"}}),
        ("post", f"/api/v1/documents/{doc.pk}/sign/", {"outcome": "signed"}),
        ("post", "/api/v1/review/rules/", {"criterion": "fine_at_least", "amount": "abc", "name": "x", "basis": "y"}),
        ("post", f"/api/v1/cases/{case.pk}/submit-review/", {}),
    ]
    for method, url, body in probes:
        response = getattr(api, method)(url, body, format="json")
        assert 400 <= response.status_code < 500, (url, body, response.status_code)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json())), (url, response.json())


HUGE_VALUES = {key: "99999999999999999999" for key in GARBAGE} | {"agency": "99999999999999999999", "year": "99999999999", "case": "²"}


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_out_of_range_integers_in_every_query_string(world, client, who):
    """Every parameter of every page and endpoint set to an integer beyond bigint (and a non-ASCII digit)."""
    if who != "anonymous":
        client.force_login(getattr(world, who))
    checked = 0
    for url in _urls(world):
        response = client.get(url, HUGE_VALUES)
        assert response.status_code < 500, (url, response.status_code)
        checked += 1
    assert checked > 80
