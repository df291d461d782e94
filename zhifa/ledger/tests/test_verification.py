"""`zhifa ledger verify` names the record for every kind of tampering (done as a DBA would: triggers lifted)."""

import json
import subprocess
import sys
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.ledger import export, offline, services, tree, verification
from zhifa.ledger.guard import maintenance
from zhifa.ledger.models import LedgerEvent


def sql(statement, params=()):
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def signed(world):
    services.sign_tree_head()
    return world


def codes(report):
    return {p.code for p in report.problems}


def test_untouched_ledger_verifies(signed):
    report = verification.verify()
    assert report.ok, report.problems
    assert report.tree_size == tree.size() and report.tree_heads >= 1
    call_command("ledger", "verify")


def test_edited_entry_is_named(signed):
    sql("UPDATE ledger_ledgerevent SET entry = REPLACE(entry, '张伟', '张卫') WHERE kind = 'org.person.created' AND entry LIKE %s", ["%张伟%"])
    seq = LedgerEvent.objects.get(kind="org.person.created", entry__contains="张卫").seq
    report = verification.verify()
    assert any(p.seq == seq and p.code == "leaf" for p in report.problems)
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "verify")
    assert exc.value.returncode == 1


def test_edit_with_recomputed_leaf_hash_is_caught_by_the_tree_and_the_signed_head(signed):
    event = LedgerEvent.objects.get(seq=3)
    entry = event.entry.replace('"v":1', '"v":1,"x":1')
    from zhifa.ledger.rfc9162 import leaf_hash

    sql("UPDATE ledger_ledgerevent SET entry=%s, leaf_hash=%s WHERE seq=3", [entry, leaf_hash(entry.encode()).hex()])
    report = verification.verify()
    assert {"node", "root"} <= codes(report)
    assert any(p.code == "node" and p.seq in (2, 3) for p in report.problems)


def test_edited_column_is_named(signed):
    sql("UPDATE ledger_ledgerevent SET kind='org.person.updated' WHERE seq=4")
    report = verification.verify()
    assert [p.seq for p in report.problems if p.code == "column"] == [4]


@pytest.mark.parametrize("column, value, label", [
    ("recorded_at", "2020-01-01 00:00:00", "记录时间"), ("kind", "org.person.updated", "事件类型"), ("agency_id", 999999, "执法主体"),
    ("actor_id", 999999, "操作人"), ("object_type", "core.nothing", "对象类型"), ("object_id", "999999", "对象 ID"),
])
def test_each_edited_column_is_named(signed, column, value, label):
    seq = LedgerEvent.objects.filter(actor_id__isnull=False, agency_id__isnull=False).order_by("seq").values_list("seq", flat=True)[0]
    sql(f"UPDATE ledger_ledgerevent SET {column}=%s WHERE seq=%s", [value, seq])
    report = verification.verify()
    named = [p for p in report.problems if p.code == "column"]
    assert [p.seq for p in named] == [seq] and f"“{label}”列被改动" in named[0].message


def test_entry_rewritten_into_odd_shapes_is_reported_not_a_crash(signed):
    from zhifa.ledger.rfc9162 import leaf_hash

    event = LedgerEvent.objects.filter(actor_id__isnull=False).order_by("seq").first()
    entry = json.loads(event.entry)
    entry["actor"], entry["object"] = "某人", ["x"]
    text = json.dumps(entry, ensure_ascii=False)
    sql("UPDATE ledger_ledgerevent SET entry=%s, leaf_hash=%s WHERE seq=%s", [text, leaf_hash(text.encode()).hex(), event.seq])
    report = verification.verify()
    assert {"node", "column"} <= codes(report)
    assert {p.message.split("“")[1].split("”")[0] for p in report.problems if p.code == "column"} >= {"操作人", "对象类型", "对象 ID"}


def test_deleted_row_is_a_gap(signed):
    sql("DELETE FROM ledger_ledgerevent WHERE seq=5")
    report = verification.verify()
    assert any(p.code == "gap" and p.seq == 5 for p in report.problems)


def test_truncated_log_is_detected(signed):
    size = tree.size()
    sql("DELETE FROM ledger_ledgerevent WHERE seq >= %s", [size - 3])
    report = verification.verify()
    assert any(p.code == "truncated" and p.seq == size - 3 for p in report.problems)


def test_truncation_hidden_by_deleting_heads_is_caught_by_an_external_checkpoint(signed, tmp_path):
    call_command("ledger", "head", "--json", stdout=(out := __import__("io").StringIO()))
    checkpoint = tmp_path / "head.json"
    checkpoint.write_text(out.getvalue())
    size = tree.size()
    sql("DELETE FROM ledger_treehead")
    sql("DELETE FROM ledger_merklenode")
    sql("DELETE FROM ledger_ledgerevent WHERE seq >= %s", [size - 2])
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--checkpoint", str(checkpoint))
    report = verification.verify(checkpoint=json.loads(checkpoint.read_text()))
    assert "truncated" in codes(report)


def test_reordered_events_are_named(signed):
    a, b = LedgerEvent.objects.get(seq=6), LedgerEvent.objects.get(seq=7)
    sql("UPDATE ledger_ledgerevent SET entry=%s, leaf_hash=%s WHERE seq=6", [b.entry, b.leaf_hash])
    sql("UPDATE ledger_ledgerevent SET entry=%s, leaf_hash=%s WHERE seq=7", [a.entry, a.leaf_hash])
    report = verification.verify()
    assert {p.seq for p in report.problems if p.code == "order"} == {6, 7}


def test_forged_signature_is_detected(signed):
    sql("UPDATE ledger_treehead SET signature=%s", ["MEUCIQ" + "A" * 90])
    assert "signature" in codes(verification.verify())


def test_export_verifies_offline_without_zhifa(signed, tmp_path):
    archive = tmp_path / "ledger.tar"
    manifest = export.export_ledger(archive)
    assert manifest["tree_size"] == tree.size()
    assert offline.verify_archive(str(archive), out=lambda *_: None) == []
    unpacked = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    # -I -S: no site-packages, so no zhifa and no tongsuopy; only hashlib and the openssl command.
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(unpacked / "zhifa-ledger" / "verify.py"), str(archive), "--all-signatures"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "校验通过" in result.stdout


def test_tampered_export_fails_offline(signed, tmp_path):
    archive = tmp_path / "ledger.tar"
    export.export_ledger(archive)
    unpacked = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    events = unpacked / "zhifa-ledger" / "events.jsonl"
    lines = events.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    row["entry"] = row["entry"].replace('"v":1', '"v":2')
    lines[2] = json.dumps(row, ensure_ascii=False)
    events.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one edit, one truncation
    problems = offline.verify_archive(str(unpacked / "zhifa-ledger"), out=lambda *_: None)
    assert any("第 2 条事件" in p for p in problems)
    assert any("截断" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("ledger", "verify-export", str(unpacked / "zhifa-ledger"))
