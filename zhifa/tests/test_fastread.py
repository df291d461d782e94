"""The faster list read path (zhifa/core/fastread.py) answers exactly as DRF's own: every list that uses it,
serialised both ways over real rows (cases with parties and officers, publications), compared whole."""

import pytest
from django.test import RequestFactory

from zhifa.cases.api import CaseSerializer, PartySerializer
from zhifa.cases.selectors import visible_cases
from zhifa.cases.tests.factories import open_penalty, team
from zhifa.core.fastread import FastRead
from zhifa.publicity.api import PublicationSerializer
from zhifa.publicity.models import Publication


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
    plan = {name: attname for name, _, attname in CaseSerializer(context={"request": request})._plan()}
    assert plan["number"] == "number" and plan["fine_amount"] == "fine_amount"  # read directly
    assert plan["parties"] is None and plan["officers"] is None and plan["stage_name"] is None  # DRF's way
    assert plan["agency"] is None  # a relation: DRF's pk-only path


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
