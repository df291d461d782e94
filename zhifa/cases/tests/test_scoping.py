"""Cases: the list and detail page and endpoint are scoped (core.testing.scoping)."""

from zhifa.cases.tests.factories import case_in
from zhifa.core.testing.scoping import ScopedEndpoints


class TestCaseScoping(ScopedEndpoints):
    page_list, page_detail = "/cases/", "/cases/{pk}/"
    api_list, api_detail = "/api/v1/cases/", "/api/v1/cases/{pk}/"

    def make(self, world, agency):
        return case_in(world, agency)


def test_case_search_uses_the_index_for_number_title_and_parties(world):
    """The list's ?q= finds a case by a word of its title, its number or any party's name, through the bigram index
    (no scan of every case); one character still works, by a scan."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhifa.cases import services
    from zhifa.cases.samples import PARTY

    case = case_in(world, world.city_a, title="违规动火作业案")
    other = case_in(world, world.city_a, title="未按规定储存危险化学品案")
    officer = case.officers.first().person
    services.add_party(officer, case, {**PARTY, "name": "嘉兴市甬江物流有限公司", "id_code": "91330402MA2BXXXX2L"})
    client = Client()
    client.force_login(world.head_a)

    def found(q):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/cases/", {"q": q}).content.decode()
        return {c.number for c in (case, other) if c.number in body}, " ".join(x["sql"] for x in queries.captured_queries)

    hits, sql = found("动火")
    assert hits == {case.number} and ("cases_search" in sql or "search_vector" in sql)
    assert found("甬江物流")[0] == {case.number}  # a party added later is found too
    assert found("危险化学品")[0] == {other.number}
    assert found(other.number)[0] == {other.number}
    assert found("化学品储存")[0] == set()  # a phrase, not a bag of bigrams
    assert found("案")[0] == {case.number, other.number}  # one character: a scan
