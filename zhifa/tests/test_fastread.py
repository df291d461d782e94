"""The faster list read paths (zhifa/core/fastread.py) answer exactly as DRF's own: every list that uses them,
serialised both ways over real rows (cases with parties and officers, publications), compared whole; and the
API lists that read their page as dicts (`Rows`) answer what DRF's model path gives for the same rows."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.test import RequestFactory

from zhifa.cases.api import CaseSerializer, PartySerializer
from zhifa.cases.models import CaseOfficer, Party
from zhifa.cases.selectors import visible_cases
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core.fastread import FastRead
from zhifa.publicity.api import PublicationSerializer
from zhifa.publicity.models import Publication
from zhifa.publicity.selectors import visible_publications


def both_ways(serializer_class, rows, context):
    fast = serializer_class(rows, many=True, context=context).data
    serializer_class.fast = False
    try:
        slow = serializer_class(rows, many=True, context=context).data
    finally:
        serializer_class.fast = True
    return fast, slow


@pytest.mark.parametrize("serializer_class", [CaseSerializer, PartySerializer, PublicationSerializer])
def test_uses_the_fast_path(serializer_class):
    assert issubclass(serializer_class, FastRead)


def test_cases_come_out_the_same(world):
    partner = team(world)
    open_penalty(world, partner)
    open_penalty(world, partner, title="另一起案件")
    request = RequestFactory().get("/api/v1/cases/")
    request.user = world.admin
    rows = list(visible_cases(world.admin).prefetch_related("parties", "officers"))
    fast, slow = both_ways(CaseSerializer, rows, {"request": request})
    assert fast == slow and len(fast) == 2
    assert fast[0]["parties"][0]["id_code"]  # decrypted, nested, the same
    plan = {name: attname for name, _, attname, _ in CaseSerializer(context={"request": request})._plan()}
    assert plan["number"] == "number" and plan["fine_amount"] == "fine_amount"  # read directly
    assert plan["parties"] is None and plan["officers"] is None and plan["stage_name"] is None  # DRF's way
    assert plan["agency"] == "agency_id"  # a foreign key's pk: the key column, as it is


def slow(serializer_class, rows, context):
    serializer_class.fast = False
    try:
        return serializer_class(rows, many=True, context=context).data
    finally:
        serializer_class.fast = True


def test_case_list_read_as_rows_answers_as_drf(world, client):
    from zhifa.cases import services
    from zhifa.cases.models import Case

    partner = team(world)
    first = open_penalty(world, partner)
    open_penalty(world, partner, title="另一起案件", officers=[partner, world.officer_a], parties=[
        {"kind": "citizen", "name": "李某", "id_code": "330402198001011234", "address": "嘉兴市", "phone": "13800000000"},
        {"kind": "organisation", "name": "嘉兴某公司", "id_code": "91330402MA2B3C4D5E", "address": "嘉兴市南湖区"},
    ])
    services.set_proposal(world.officer_a, first, outcome="penalty", penalty_kinds=["fine"], fine_amount=3000, legal_basis="某法第一条")
    client.force_login(world.admin)
    answer = client.get("/api/v1/cases/").json()["results"]
    request = RequestFactory().get("/api/v1/cases/")
    request.user = world.admin
    models = list(Case.objects.order_by("-id").prefetch_related(
        Prefetch("parties", Party.objects.order_by("id")), Prefetch("officers", CaseOfficer.objects.order_by("id"))))
    expected = json.loads(json.dumps(slow(CaseSerializer, models, {"request": request}), cls=DjangoJSONEncoder))
    assert [row["id"] for row in answer] == [row["id"] for row in expected]
    assert answer == expected
    assert len(answer[0]["parties"]) == 2 and answer[0]["parties"][0]["id_code"] == "330402198001011234"  # decrypted
    assert answer[0]["officers"] == [partner.id, world.officer_a.id] and answer[1]["stage_name"]


def test_publication_list_read_as_rows_answers_as_drf(world, client):
    from zhifa.documents.tests.factories import onsite_decision_in
    from zhifa.publicity import services as publicity
    from zhifa.publicity.tests.test_services import PERSON

    onsite_decision_in(world, world.city_a)
    published = publicity.release(world.reviewer_a, Publication.objects.get(document=onsite_decision_in(world, world.city_a, party=PERSON)))
    publicity.correct(world.reviewer_a, published, note="当事人名称有误", party_name="王某某")
    client.force_login(world.admin)
    answer = client.get("/api/v1/publications/").json()["results"]
    rows = list(visible_publications(world.admin))
    expected = json.loads(json.dumps(slow(PublicationSerializer, rows, {}), cls=DjangoJSONEncoder))
    assert answer == expected and len(answer) == 2
    assert [c["note"] for row in answer for c in row["corrections"]] == ["当事人名称有误"]
    assert all(isinstance(row["document"], int) and isinstance(row["agency"], int) for row in answer)


def test_rows_read_only_the_columns_the_serialiser_writes():
    from zhifa.cases.api import CASE_ROWS

    columns = CASE_ROWS.columns()
    assert "agency_id" in columns and "id" in columns and "procedure_id" in columns
    assert "opened_by_id" not in columns and "parties" not in columns  # not written; filled by a query of its own


def test_publications_come_out_the_same(world):
    from zhifa.documents.tests.factories import onsite_decision_in
    from zhifa.publicity import services as publicity
    from zhifa.publicity.tests.test_services import PERSON

    onsite_decision_in(world, world.city_a)
    publicity.release(world.reviewer_a, Publication.objects.get(document=onsite_decision_in(world, world.city_a, party=PERSON)))
    rows = list(Publication.objects.all())
    assert len(rows) == 2 and {r.status for r in rows} == {"pending", "published"}
    fast, slow = both_ways(PublicationSerializer, rows, {})
    assert fast == slow
