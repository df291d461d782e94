"""A third party checks the API's proofs with nothing but RFC 9162 (rfc9162.py) and the public key."""

import base64

from rest_framework.test import APIClient

from zhifa.ledger import rfc9162, signing
from zhifa.ledger.models import LedgerEvent
from zhifa.org.tests import factories as f


def h(x):
    return bytes.fromhex(x)


def test_public_tree_head_and_proofs_verify(world):
    anon = APIClient()
    head = anon.get("/api/v1/ledger/tree-head/").json()
    assert head["tree_size"] == LedgerEvent.objects.count()
    keys = anon.get("/api/v1/ledger/keys/").json()["results"]
    pem = next(k["public_key_pem"] for k in keys if k["key_id"] == head["key_id"])
    assert bytes.fromhex(head["signed_data"]) == rfc9162.tree_head_data(head["timestamp_ms"], head["tree_size"], h(head["root_hash"]))
    assert signing.verify(pem, bytes.fromhex(head["signed_data"]), base64.b64decode(head["signature"]))

    api = APIClient()
    api.force_authenticate(world.admin)
    for seq in (0, head["tree_size"] // 2, head["tree_size"] - 1):
        event = api.get(f"/api/v1/ledger/events/{seq}/").json()
        proof = api.get(f"/api/v1/ledger/events/{seq}/proof/").json()
        assert rfc9162.verify_inclusion(
            seq, head["tree_size"], rfc9162.leaf_hash(event["entry"].encode()),
            [h(x) for x in proof["inclusion_path"]], h(head["root_hash"]),
        )

    first = head
    f.agency("嘉兴市生态环境局")  # the log grows
    second = anon.get("/api/v1/ledger/tree-head/").json()
    assert second["tree_size"] > first["tree_size"]
    proof = anon.get("/api/v1/ledger/consistency/", {"first": first["tree_size"], "second": second["tree_size"]}).json()
    assert rfc9162.verify_consistency(
        first["tree_size"], second["tree_size"], h(first["root_hash"]), h(second["root_hash"]),
        [h(x) for x in proof["consistency_path"]],
    )


def test_events_are_scoped_and_bad_parameters_get_chinese_400(world):
    api = APIClient()
    api.force_authenticate(world.officer_other)
    agencies = {e["agency_id"] for e in api.get("/api/v1/ledger/events/?limit=500").json()["results"]}
    assert agencies == {world.other_city.pk}
    assert api.get("/api/v1/ledger/events/0/").status_code == 404
    api.force_authenticate(world.admin)
    for url in ("/api/v1/ledger/events/1/proof/?tree_size=99999", "/api/v1/ledger/events/1/proof/?tree_size=abc",
                "/api/v1/ledger/consistency/?first=0", "/api/v1/ledger/consistency/?first=5&second=999999",
                "/api/v1/ledger/events/9/proof/?tree_size=3"):
        response = api.get(url)
        assert response.status_code == 400, url
        assert "未作任何修改" in response.json()["detail"]
    assert APIClient().get("/api/v1/ledger/events/").status_code in (401, 403)
