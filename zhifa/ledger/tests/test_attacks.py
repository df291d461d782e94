"""The attacks of the trust review, performed as a hostile DBA or key thief would, and seen detected or refused."""

import base64
import io
import json
import threading
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, transaction
from rest_framework.test import APIClient

from zhifa.ledger import export, offline, rfc9162, services, signing, tree, verification
from zhifa.ledger import witness as witness_program
from zhifa.ledger.guard import maintenance
from zhifa.ledger.models import Cosignature, LedgerEvent, MerkleNode, SigningKey, TreeHead

from .exports import exported


def sql(statement, params=()):
    with maintenance(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def codes(report):
    return {p.code for p in report.problems}


def rewrite_from(seq: int, *, replace=("张伟", "张卫")) -> None:
    """Edit events from `seq` on and recompute every leaf hash and tree node, as an attacker with the DB would."""
    for event in LedgerEvent.objects.filter(seq__gte=seq).order_by("seq"):
        entry = event.entry.replace(*replace) if event.seq == seq else event.entry
        if event.seq == seq and entry == event.entry:
            entry = event.entry.replace('"v":1', '"v":1,"forged":true')
        sql("UPDATE ledger_ledgerevent SET entry=%s, leaf_hash=%s WHERE seq=%s",
            [entry, rfc9162.leaf_hash(entry.encode()).hex(), event.seq])
    sql("DELETE FROM ledger_merklenode")
    frontier = rfc9162.Frontier()
    nodes = []
    for leaf in LedgerEvent.objects.order_by("seq").values_list("leaf_hash", flat=True):
        nodes += [MerkleNode(level=lv, index=ix, hash=h.hex()) for lv, ix, h in frontier.push(bytes.fromhex(leaf))]
    MerkleNode.objects.bulk_create(nodes)


def resign(size: int, key) -> None:
    """A head for the tree as it now stands, signed with the installation's (stolen) key file."""
    root, ts = tree.root_at(size), services._now_ms()
    TreeHead.objects.create(tree_size=size, timestamp_ms=ts, root_hash=root.hex(), key=key,
                            signature=base64.b64encode(signing.sign(rfc9162.tree_head_data(ts, size, root))).decode())


def later_ms(seconds: int):
    """The clock `seconds` after the newest event: what a re-signing some time after the fact looks like."""
    newest = LedgerEvent.objects.order_by("-seq").first().recorded_at
    return lambda: int(newest.timestamp() * 1000) + seconds * 1000


@pytest.fixture
def witness_server(tmp_path):
    w = witness_program.Witness.init(str(tmp_path / "witness"), "嘉兴市司法局见证")
    w.add_log("zhifa.local/ledger", signing.public_identity()[0])
    server = witness_program.serve(w, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    w.url = f"http://127.0.0.1:{server.server_address[1]}"
    w.pub_file = tmp_path / "witness.pub.pem"
    w.pub_file.write_text(w.public_pem)
    yield w
    server.shutdown()
    server.server_close()


@pytest.fixture
def witnessed(world, witness_server):
    services.add_witness(None, name=witness_server.config["name"], url=witness_server.url, public_key_pem=witness_server.public_pem)
    results = services.witness_latest()
    assert results and not isinstance(results[0][1], str), results
    return world


# --- RFC 9162 verifiers ---------------------------------------------------------------------------


def test_proof_verifiers_reject_negative_index_and_empty_trees():
    leaves = [rfc9162.leaf_hash(bytes([i])) for i in range(5)]
    root = rfc9162.root_from_leaves(leaves)
    assert not rfc9162.verify_inclusion(-1, 5, leaves[0], [], root)
    assert not rfc9162.verify_inclusion(-5, 5, leaves[0], [root], root)
    assert not rfc9162.verify_inclusion(0, 0, leaves[0], [], root)
    assert not rfc9162.verify_consistency(0, 0, root, root, [])
    assert not rfc9162.verify_consistency(0, 5, rfc9162.empty_root(), root, [])
    assert not rfc9162.verify_consistency(-1, 5, root, root, [root])
    assert rfc9162.verify_consistency(5, 5, root, root, [])


# --- signed tree heads -----------------------------------------------------------------------------


def test_heads_deleted_events_rewritten_and_resigned_later_fails_verify(world):
    assert verification.verify().ok
    sql("DELETE FROM ledger_treehead WHERE tree_size > 3")
    rewrite_from(5)
    with mock.patch.object(services, "_now_ms", later_ms(600)):
        call_command("ledger", "sign", stdout=io.StringIO())  # the forgery is signed with the real key...
    report = verification.verify()
    assert "unsigned" in codes(report), report.problems  # ...too late to vouch for the events it covers
    with pytest.raises(CommandError):
        call_command("ledger", "verify", stdout=io.StringIO())


def test_sign_refuses_a_history_rewritten_under_a_signed_head(world):
    rewrite_from(2)
    heads = TreeHead.objects.count()
    with transaction.atomic():
        services.append("ledger.test", data={})  # services go on; no head is signed over the forgery
    assert TreeHead.objects.count() == heads
    with pytest.raises(CommandError, match="拒绝签名"):
        call_command("ledger", "sign", stdout=io.StringIO())


def test_events_left_unsigned_past_the_bound_fail_verify(world, settings):
    settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS = 60_000  # the signer is not due; the transaction stays unsigned
    with transaction.atomic():
        services.append("ledger.test", data={"x": 1})
    report = verification.verify()
    assert report.ok and any("尚未被签名树头覆盖" in w for w in report.warnings)
    with mock.patch("zhifa.ledger.verification.time.time", return_value=time.time() + 3600):
        report = verification.verify()
    assert "unsigned" in codes(report)


def test_a_head_dated_before_its_events_is_a_forgery(world):
    head = TreeHead.objects.order_by("-tree_size").first()
    sql("DELETE FROM ledger_treehead WHERE tree_size = %s", [head.tree_size])
    data = rfc9162.tree_head_data(1_000_000, head.tree_size, bytes.fromhex(head.root_hash))
    TreeHead.objects.create(tree_size=head.tree_size, timestamp_ms=1_000_000, root_hash=head.root_hash, key=head.key,
                            signature=base64.b64encode(signing.sign(data)).decode())
    assert "head-order" in codes(verification.verify())


def test_reads_never_write(world, settings):
    settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS = 60_000
    with transaction.atomic():
        services.append("ledger.test", data={})
    heads = TreeHead.objects.count()
    anon = APIClient()
    assert anon.get("/api/v1/ledger/tree-head/").status_code == 200
    assert anon.get("/api/v1/ledger/tree-heads/").status_code == 200
    assert anon.get("/api/v1/ledger/consistency/?first=1").status_code == 200
    client = APIClient()
    client.force_authenticate(world.admin)
    client.get(f"/api/v1/ledger/events/{tree.size() - 1}/proof/")
    from django.test import Client

    page = Client()
    page.force_login(world.admin)
    assert page.get("/ledger/").status_code == 200
    assert page.get(f"/ledger/events/{tree.size() - 1}/").status_code == 200
    assert TreeHead.objects.count() == heads


@pytest.mark.django_db(transaction=True)
def test_periodic_signer_covers_committed_events_within_its_interval(settings, monkeypatch):
    settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS = 100
    # Only the signer listens here: the tests' in-memory SQLite refuses (rather than waits for) a second writer, and
    # other listeners (the workflow dispatcher, run at once in the tests) would write beside the signer's thread.
    monkeypatch.setattr(services, "committed_listeners", [])

    def append(n):
        # The tests' in-memory SQLite answers "table is locked" at once, where a database file waits for the signer's
        # thread to commit (timeout=20): wait here as the file would.
        for _ in range(200):
            try:
                with transaction.atomic():
                    return services.append("ledger.test", data={"n": n})
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
        raise AssertionError("the signer kept the ledger locked for 2 s")

    append(1)
    event = append(2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not TreeHead.objects.filter(tree_size__gt=event.seq).exists():
        time.sleep(0.05)
    assert services.signer.wait_idle()  # nothing left for the thread to do once the test's database is gone
    assert TreeHead.objects.filter(tree_size=event.seq + 1).exists()
    assert TreeHead.objects.count() <= 2  # one head per interval, not one per transaction


@pytest.mark.django_db(transaction=True)
def test_a_process_exiting_while_its_head_is_being_signed_still_leaves_it_signed(settings, monkeypatch):
    """`zhifa ledger verify` appends its own event and exits at once: the head must not die with the process."""
    settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS = 1000
    real, started = services.sign_tree_head, threading.Event()

    def slow():
        started.set()
        time.sleep(0.5)
        return real()

    monkeypatch.setattr(services, "sign_tree_head", slow)
    with transaction.atomic():
        event = services.append("ledger.test", data={"n": 1})
    assert started.wait(5)
    services.signer.at_exit()  # what atexit runs; daemon threads are killed right after it returns
    assert TreeHead.objects.filter(tree_size=event.seq + 1).exists()


# --- keys ------------------------------------------------------------------------------------------


def test_key_swap_is_refused_by_the_signer_and_named_by_verify(world, tmp_path, settings):
    pinned = tmp_path / "trusted.pem"
    pinned.write_text(signing.public_identity()[0])
    # The thief's way: a fresh key file, every head re-signed with it.
    signing.key_path().rename(tmp_path / "old.pem")
    signing.write_key_file(signing.key_path(), signing.generate())
    with transaction.atomic():
        services.append("ledger.test", data={})  # the signer refuses the unknown key; the event stays unsigned
    assert not TreeHead.objects.filter(tree_size=tree.size()).exists()
    sql("DELETE FROM ledger_treehead")
    sql("DELETE FROM ledger_signingkey")
    key = services.current_key()
    for size in range(1, tree.size() + 1):
        resign(size, key)
    assert verification.verify().ok  # without a pin the swapped key looks like the first key...
    report = verification.verify(trusted_keys=[str(pinned)])
    assert "key" in codes(report)  # ...with the supervisor's pinned key it is named
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--trusted-key", str(pinned), stdout=io.StringIO())


def test_key_rotation_is_signed_by_the_old_key_and_accepted(world, tmp_path):
    pinned = tmp_path / "trusted.pem"
    pinned.write_text(signing.public_identity()[0])
    old_id = signing.public_identity()[1]
    call_command("ledger", "rotate-key", stdout=io.StringIO())
    assert signing.public_identity()[1] != old_id
    with transaction.atomic():
        services.append("ledger.test", data={})
    assert TreeHead.objects.order_by("-tree_size").first().key.key_id != old_id
    report = verification.verify(trusted_keys=[str(pinned)])
    assert report.ok, report.problems
    # A hand-over forged without the old key is not accepted.
    event = LedgerEvent.objects.get(kind="ledger.key_changed")
    entry = json.loads(event.entry)
    entry["data"]["signature"] = base64.b64encode(signing.sign(b"something else")).decode()
    forged = services.canonical_json(entry)
    sql("UPDATE ledger_ledgerevent SET entry=%s WHERE seq=%s", [forged, event.seq])
    assert "key" in codes(verification.verify(trusted_keys=[str(pinned)]))


def test_signing_key_can_be_kept_encrypted(world, settings, tmp_path):
    settings.ZHIFA_LEDGER_KEY_FILE = str(tmp_path / "k" / "key.pem")
    settings.ZHIFA_LEDGER_KEY_PASSPHRASE = "长口令-2026"
    signing.private_key()
    assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "k" / "key.pem").read_bytes()
    assert (tmp_path / "k" / "key.pem").stat().st_mode & 0o777 == 0o600
    settings.ZHIFA_LEDGER_KEY_PASSPHRASE = ""
    with pytest.raises(RuntimeError, match="ZHIFA_LEDGER_KEY_PASSPHRASE"):
        signing.private_key()


# --- witnesses -------------------------------------------------------------------------------------


def test_witness_cosigns_and_verify_accepts(witnessed, witness_server):
    assert Cosignature.objects.count() == 1
    report = verification.verify(witness_keys=[str(witness_server.pub_file)])
    assert report.ok, report.problems
    assert report.witnessed_size == tree.size()


def test_rewrite_resigned_with_the_stolen_key_fails_against_the_witnessed_head(witnessed, witness_server):
    size = tree.size()
    sql("DELETE FROM ledger_treehead")
    rewrite_from(4)
    for n in range(1, size + 1):  # re-signed with the real key, timely: only the witness can tell
        resign(n, services.current_key())
    assert "witness" in codes(verification.verify(witness_keys=[str(witness_server.pub_file)]))
    # The witness refuses to countersign the forged history.
    with transaction.atomic():
        services.append("ledger.test", data={})
    results = services.witness_latest()
    assert isinstance(results[0][1], str) and "422" in results[0][1]
    # Deleting the cosignatures does not help: the witness's own copy is fetched, or kept by the supervisor.
    sql("DELETE FROM ledger_cosignature")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--witness-key", str(witness_server.pub_file), "--witness-url", witness_server.url, stdout=out)
    assert "见证方" in out.getvalue()


def test_deleted_cosignatures_leave_history_unwitnessed(witnessed, witness_server):
    sql("DELETE FROM ledger_cosignature")
    with mock.patch("zhifa.ledger.verification.time.time", return_value=time.time() + 7200):
        report = verification.verify(witness_keys=[str(witness_server.pub_file)])
    assert "unwitnessed" in codes(report)


def test_forged_cosignature_is_named(witnessed, witness_server):
    sql("UPDATE ledger_cosignature SET root_hash=%s", ["00" * 32])
    assert "witness" in codes(verification.verify(witness_keys=[str(witness_server.pub_file)]))


def test_witness_refuses_bad_requests(witness_server):
    head = {"tree_size": 3, "timestamp_ms": 1, "root_hash": "11" * 32, "key_id": "x", "signature": "AA=="}
    for body, status in (
        ({"origin": "other", "old_size": 0, "head": head}, 403),
        ({"origin": "zhifa.local/ledger", "old_size": 0, "head": head}, 403),
        ({"origin": "zhifa.local/ledger", "old_size": "x", "head": head}, 400),
    ):
        with pytest.raises(witness_program.Refused) as exc:
            witness_server.add_checkpoint(body)
        assert exc.value.status == status


def test_witness_key_change_needs_the_old_key(witnessed, witness_server):
    call_command("ledger", "rotate-key", stdout=io.StringIO())
    with transaction.atomic():
        services.append("ledger.test", data={})
    results = services.witness_latest()
    assert not isinstance(results[0][1], str), results  # the hand-over signed by the pinned key is accepted
    assert verification.verify(witness_keys=[str(witness_server.pub_file)]).ok


# --- exports ---------------------------------------------------------------------------------------


def test_export_with_every_head_removed_fails_offline(world, tmp_path):
    root = exported(tmp_path)
    (root / "tree_heads.jsonl").write_text("")
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["tree_head"] = None
    (root / "manifest.json").write_text(json.dumps(manifest))
    problems = offline.verify_archive(str(root), out=lambda *_: None)
    assert any("没有签名树头" in p for p in problems)


def test_export_tail_truncation_fails_offline_against_a_kept_head(world, tmp_path):
    call_command("ledger", "head", "--json", stdout=(out := io.StringIO()))
    kept = tmp_path / "head.json"
    kept.write_text(out.getvalue())
    root = exported(tmp_path)
    events = (root / "events.jsonl").read_text().splitlines()
    heads = [json.loads(x) for x in (root / "tree_heads.jsonl").read_text().splitlines()]
    keep = len(events) - 3
    (root / "events.jsonl").write_text("\n".join(events[:keep]) + "\n")
    heads = [h for h in heads if h["tree_size"] <= keep]
    (root / "tree_heads.jsonl").write_text("".join(json.dumps(h) + "\n" for h in heads))
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["tree_head"] = heads[-1]
    (root / "manifest.json").write_text(json.dumps(manifest))
    problems = offline.verify_archive(str(root), checkpoints=[str(kept)], out=lambda *_: None)
    assert any("截断" in p for p in problems)


def test_export_unsigned_tail_fails_offline(world, tmp_path):
    root = exported(tmp_path)
    heads = [json.loads(x) for x in (root / "tree_heads.jsonl").read_text().splitlines()]
    (root / "tree_heads.jsonl").write_text("".join(json.dumps(h) + "\n" for h in heads[:-2]))
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["tree_head"] = heads[-3]
    (root / "manifest.json").write_text(json.dumps(manifest))
    problems = offline.verify_archive(str(root), out=lambda *_: None)
    assert any("没有签名树头覆盖" in p for p in problems)


def test_export_checks_witness_and_pinned_key_offline(witnessed, witness_server, tmp_path):
    archive = tmp_path / "ledger.tar"
    export.export_ledger(archive)
    pinned = tmp_path / "log.pem"
    pinned.write_text(signing.public_identity()[0])
    ok = offline.verify_archive(str(archive), trusted_keys=[str(pinned)], witness_keys=[str(witness_server.pub_file)], out=lambda *_: None)
    assert ok == []
    other = tmp_path / "other.pem"
    other.write_text(signing.public_pem(signing.generate()))
    problems = offline.verify_archive(str(archive), trusted_keys=[str(other)], out=lambda *_: None)
    assert any("受信任" in p for p in problems)


def test_sign_key_ids_stay_stable(world):
    assert SigningKey.objects.count() == 1


def test_stdlib_witness_program_without_zhifa_or_tongsuopy(world, tmp_path):
    """The witness a third party runs: python -I -S (no site-packages), SM2 through the openssl command."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    program = Path(witness_program.__file__)
    work = tmp_path / "third-party"
    work.mkdir()
    for name in ("witness.py", "rfc9162.py"):  # what `zhifa ledger witness program` and an export hand out
        (work / name).write_bytes((program.parent / name).read_bytes())
    run = [sys.executable, "-I", "-S", str(work / "witness.py")]
    out = subprocess.run([*run, "init", "--dir", str(work / "w"), "--name", "第三方见证"], capture_output=True, text=True, check=True).stdout
    public = out[out.index("-----BEGIN"):]
    log_key = tmp_path / "log.pem"
    log_key.write_text(signing.public_identity()[0])
    subprocess.run([*run, "add-log", "--dir", str(work / "w"), "--origin", "zhifa.local/ledger", "--key", str(log_key)], check=True, capture_output=True)
    server = subprocess.Popen([*run, "serve", "--dir", str(work / "w"), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = re.search(r":(\d+)/", server.stdout.readline()).group(1)
        services.add_witness(None, name="第三方见证", url=f"http://127.0.0.1:{port}", public_key_pem=public)
        results = services.witness_latest()
        assert not isinstance(results[0][1], str), results
        witness_key = tmp_path / "witness.pem"
        witness_key.write_text(public)
        assert verification.verify(witness_keys=[str(witness_key)]).ok
    finally:
        server.terminate()
        server.wait()


@pytest.mark.django_db(transaction=True)
def test_pulling_witness_fetches_checks_countersigns_and_hands_back(live_server, tmp_path):
    """The other way round: the witness (a 司法局's cron job) fetches the head and the proof from the public API."""
    with transaction.atomic():
        services.append("ledger.test", data={"n": 1})
    w = witness_program.Witness.init(str(tmp_path / "w"), "嘉兴市司法局见证")
    w.add_log("zhifa.local/ledger", signing.public_identity()[0])
    services.add_witness(None, name="嘉兴市司法局见证", url="http://127.0.0.1:9", public_key_pem=w.public_pem)
    first = witness_program.pull(w, "zhifa.local/ledger", live_server.url)
    for n in range(3):
        with transaction.atomic():
            services.append("ledger.test", data={"n": n})
    second = witness_program.pull(w, "zhifa.local/ledger", live_server.url)  # with a consistency proof from `first`
    assert second["tree_size"] == tree.size() > first["tree_size"]
    assert set(Cosignature.objects.values_list("tree_size", flat=True)) == {first["tree_size"], second["tree_size"]}
    key = tmp_path / "w.pem"
    key.write_text(w.public_pem)
    assert verification.verify(witness_keys=[str(key)]).ok
    # A cosignature zhifa did not earn is refused: wrong root, or a key that is not a registered witness.
    api = APIClient()
    bad = dict(second, root_hash="00" * 32)
    assert api.post("/api/v1/ledger/cosignatures/", bad, format="json").status_code == 400
    stranger = dict(second, key_id="ab" * 32)
    assert api.post("/api/v1/ledger/cosignatures/", stranger, format="json").status_code == 400
    assert api.get("/api/v1/ledger/cosignatures/").json()[0]["tree_size"] == second["tree_size"]


def test_ledger_page_shows_witnesses_and_how_far_they_vouch(client, witnessed, witness_server):
    client.force_login(witnessed.admin)
    page = client.get("/ledger/").content.decode()
    assert "嘉兴市司法局见证" in page and "已见证至最新树头" in page
    with transaction.atomic():
        services.append("ledger.test", data={})
    assert "尚未见证最新树头" in client.get("/ledger/").content.decode()
