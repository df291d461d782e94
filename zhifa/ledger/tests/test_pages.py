"""The ledger page pages by sequence number (keyset): any page of a million events is one index range."""

import re

from django.db import transaction
from django.test.utils import CaptureQueriesContext

from zhifa.ledger import services


def test_the_ledger_page_walks_back_by_sequence_number(world, client):
    for n in range(60):
        with transaction.atomic():
            services.append("ledger.test", data={"n": n})
    client.force_login(world.admin)
    first = client.get("/ledger/").content.decode()
    seqs = [int(s) for s in re.findall(r'href="/ledger/events/(\d+)/"', first)]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    older = re.search(r'before=(\d+)">更早的事件', first)
    assert older and int(older.group(1)) == seqs[-1]
    second = client.get("/ledger/", {"before": older.group(1)}).content.decode()
    rest = [int(s) for s in re.findall(r'href="/ledger/events/(\d+)/"', second)]
    assert rest and max(rest) < seqs[-1] and "更早的事件" not in second and "最新事件" in second
    assert client.get("/ledger/", {"before": "9" * 40}).status_code == 200  # nonsense is ignored, never a 500


def test_a_page_of_events_costs_the_same_however_long_the_ledger(world, client):
    from django.db import connection

    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/ledger/")
    for n in range(120):
        with transaction.atomic():
            services.append("ledger.test", data={"n": n})
    with CaptureQueriesContext(connection) as many:
        client.get("/ledger/")
    assert len(many) == len(few)
    assert not any("COUNT(" in q["sql"].upper() and "ledger_ledgerevent" in q["sql"] for q in many.captured_queries)
