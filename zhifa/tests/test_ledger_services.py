import base64
import subprocess

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.core import services as core_services
from zhifa.ledger import rfc9162, services, tree
from zhifa.ledger.events import declare
from zhifa.ledger.models import LedgerEvent, MerkleNode, TreeHead
from zhifa.org import services as org_services
from zhifa.org.tests import factories as f

declare("test.event", "测试事件", testing=True)

def test_every_service_write_appends_an_event_in_its_transaction(world):
    kinds = list(LedgerEvent.objects.values_list("kind", flat=True))
    assert kinds.count("org.agency.created") == 5
    assert "org.person.created" in kinds and "org.credential.issued" in kinds
    before = tree.size()
    org_services.update_person(world.admin, world.officer_a, position="大队长")
    event = LedgerEvent.objects.get(seq=before)
    assert event.kind == "org.person.updated" and event.agency_id == world.city_a.pk
    assert '"position":["","大队长"]' in event.entry
    assert "330402199003071237" not in "".join(LedgerEvent.objects.values_list("entry", flat=True))
    org_services.change_credential_status(world.admin, world.cred_a, status="suspended", reason="涉嫌违纪")
    org_services.create_department(world.admin, agency=world.city_a, name="执法支队", function="enforcement")
    assert list(LedgerEvent.objects.order_by("-seq").values_list("kind", flat=True)[:2]) == [
        "org.department.created", "org.credential.status_changed",
    ]


def test_a_failed_service_leaves_no_event(world):
    before = tree.size()
    with pytest.raises(Exception):
        org_services.update_agency(world.admin, world.city_a, uscc="bad")
    assert tree.size() == before


def test_calendar_changes_are_recorded(world):
    import datetime

    override = core_services.set_day_override(world.admin, date=datetime.date(2027, 1, 1), is_workday=False, name="元旦")
    core_services.remove_day_override(world.admin, override)
    assert list(LedgerEvent.objects.order_by("-seq").values_list("kind", flat=True)[:2]) == [
        "core.calendar.day_removed", "core.calendar.day_set",
    ]


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        services.append("test.event")
    assert not LedgerEvent.objects.exists()


def test_stored_tree_matches_the_definition_and_proofs_verify(world):
    n = tree.size()
    leaves = [bytes.fromhex(h) for h in LedgerEvent.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    assert tree.root_at(n) == rfc9162.root_from_leaves(leaves)
    for m in (0, 1, n // 2, n - 1):
        proof = tree.inclusion_proof(m, n)
        assert rfc9162.verify_inclusion(
            m, n, leaves[m], [bytes.fromhex(h) for h in proof["inclusion_path"]], bytes.fromhex(proof["root_hash"])
        )
    for first in (1, 3, n // 2, n - 1):
        proof = tree.consistency_proof(first, n)
        assert rfc9162.verify_consistency(
            first, n, rfc9162.root_from_leaves(leaves[:first]), rfc9162.root_from_leaves(leaves),
            [bytes.fromhex(h) for h in proof["consistency_path"]],
        )
    assert MerkleNode.objects.count() == n - bin(n).count("1")


def test_signed_tree_head_verifies_with_openssl(world, tmp_path):
    head = services.sign_tree_head()
    assert head.tree_size == tree.size() and services.sign_tree_head() == head
    data = rfc9162.tree_head_data(head.timestamp_ms, head.tree_size, bytes.fromhex(head.root_hash))
    (tmp_path / "key.pem").write_text(head.key.public_key_pem)
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "sig").write_bytes(base64.b64decode(head.signature))
    result = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-digest", "sm3",
         "-in", "data", "-sigfile", "sig", "-pkeyopt", "distid:1234567812345678"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "data").write_bytes(data[:-3] + b"\x01\x00\x00")
    assert subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin", "-digest", "sm3",
                           "-in", "data", "-sigfile", "sig", "-pkeyopt", "distid:1234567812345678"], cwd=tmp_path,
                          capture_output=True).returncode != 0


def test_each_committed_transaction_gets_one_signed_head(transactional_db):
    f.agency("嘉兴市市场监督管理局")  # bootstrap admin, then the agency: two transactions
    f.agency("嘉兴市生态环境局")
    sizes = list(TreeHead.objects.order_by("tree_size").values_list("tree_size", flat=True))
    assert sizes == [1, 2, 3] and sizes[-1] == tree.size()


@pytest.mark.parametrize("table", ["ledger_ledgerevent", "ledger_merklenode", "ledger_treehead", "ledger_signingkey"])
def test_ledger_tables_reject_update_and_delete(world, table):
    services.sign_tree_head()
    for sql in (f"UPDATE {table} SET {'kind' if 'event' in table else 'id'} = {'kind' if 'event' in table else 'id'}",
                f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="只允许追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    if connection.vendor == "postgresql" and table in ("ledger_ledgerevent", "ledger_merklenode"):
        with pytest.raises(DatabaseError, match="只允许追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
    assert LedgerEvent.objects.exists()
