#!/usr/bin/env python3
"""Ledger figures: appends/s, proof time at a large tree, full verification time.

    .venv/bin/python bench/ledger_bench.py [--leaves 1000000] [--appends 2000] [--no-witness]

Appends are measured with the periodic signer (ZHIFA_LEDGER_SIGN_INTERVAL_MS, default 1000) and, unless
--no-witness, a witness (witness.py, on 127.0.0.1) countersigning each head; verify pins the witness key.

Runs on a fresh SQLite database in a temporary directory, or on PostgreSQL when
ZHIFA_DATABASE_URL is set (use a scratch database: the benchmark fills it). Prints figures; asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(tmp: str) -> None:
    os.environ["ZHIFA_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhifa.ledger.events import declare

    declare("bench.single", "性能测试事件", testing=True)
    declare("bench.batch", "性能测试事件（批量）", testing=True)


def start_witness(tmp: str):
    import threading

    from zhifa.ledger import services, signing
    from zhifa.ledger import witness as program

    w = program.Witness.init(os.path.join(tmp, "witness"), "基准见证方")
    w.add_log("zhifa.local/ledger", signing.public_identity()[0])
    server = program.serve(w, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    services.add_witness(None, name="基准见证方", url=f"http://127.0.0.1:{server.server_address[1]}", public_key_pem=w.public_pem)
    key_file = os.path.join(tmp, "witness.pub.pem")
    Path(key_file).write_text(w.public_pem)
    return key_file


def bench_appends(n: int) -> None:
    from django.conf import settings
    from django.db import transaction

    from zhifa.ledger import services
    from zhifa.ledger.models import Cosignature, TreeHead

    data = {"case_number": "嘉应急立〔2026〕18号", "note": "基准测试事件", "amount": "5000.00"}
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            services.append("bench.single", data={**data, "i": i})
    single = n / (time.perf_counter() - started)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not TreeHead.objects.filter(tree_size__gte=services.tree.size()).exists():
        time.sleep(0.05)
    print(
        f"追加（定时签名，每 {settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS} ms 或 {settings.ZHIFA_LEDGER_SIGN_BATCH} 条签一次）："
        f"每事务 1 条 {single:,.0f} 条/秒；期间签名树头 {TreeHead.objects.count()} 个、见证副署 {Cosignature.objects.count()} 个"
    )
    started = time.perf_counter()
    batches = max(1, n // 10)
    for b in range(batches):
        with transaction.atomic():
            for i in range(100):
                services.append("bench.batch", data={**data, "i": i, "b": b})
    batched = batches * 100 / (time.perf_counter() - started)
    print(f"追加：每事务 100 条 {batched:,.0f} 条/秒")


def bulk_load(target: int) -> float:
    """Grow the tree to `target` leaves with the same entries, leaf hashes and nodes append() writes,
    inserted in bulk (appending a million events one by one would take the whole benchmark)."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from zhifa.ledger import rfc9162, tree
    from zhifa.ledger.models import LedgerEvent, MerkleNode
    from zhifa.ledger.services import canonical_json

    start = tree.size()
    frontier = rfc9162.Frontier()
    for leaf in LedgerEvent.objects.order_by("seq").values_list("leaf_hash", flat=True):
        frontier.push(bytes.fromhex(leaf))
    from zhifa.ledger.services import sign_tree_head

    started = time.perf_counter()
    batch = 10000
    for base in range(start, target, batch):
        # each batch carries its own time and is signed as it lands, as the periodic signer would
        now = timezone.now().replace(microsecond=0)
        iso = now.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
        events, nodes = [], []
        for seq in range(base, min(base + batch, target)):
            entry = canonical_json({
                "v": 1, "seq": seq, "time": iso, "kind": "bench.bulk", "actor": None, "agency": 1,
                "object": {"type": "", "id": "", "label": ""},
                "data": {"case_number": f"嘉应急立〔2026〕{seq}号", "note": "批量载入的基准测试事件"},
            })
            leaf = rfc9162.leaf_hash(entry.encode())
            events.append(LedgerEvent(seq=seq, recorded_at=now, kind="bench.bulk", agency_id=1, entry=entry, leaf_hash=leaf.hex()))
            nodes += [MerkleNode(level=lv, index=ix, hash=h.hex()) for lv, ix, h in frontier.push(leaf)]
        with transaction.atomic():
            LedgerEvent.objects.bulk_create(events, batch_size=2000)
            MerkleNode.objects.bulk_create(nodes, batch_size=2000)
        sign_tree_head()
    return time.perf_counter() - started


def bench_proofs(size: int, samples: int = 500) -> None:
    from zhifa.ledger import rfc9162, tree

    root = tree.root_at(size)
    rng = random.Random(1)
    times, ok = [], 0
    for _ in range(samples):
        seq = rng.randrange(size)
        t = time.perf_counter()
        proof = tree.inclusion_proof(seq, size)
        times.append(time.perf_counter() - t)
        ok += rfc9162.verify_inclusion(
            seq, size, bytes.fromhex(proof["leaf_hash"]), [bytes.fromhex(h) for h in proof["inclusion_path"]], root
        )
    print(
        f"包含证明（{size:,} 个叶子）：中位 {statistics.median(times) * 1000:.2f} ms，"
        f"P95 {sorted(times)[int(samples * 0.95)] * 1000:.2f} ms，路径长 {len(proof['inclusion_path'])}，验证通过 {ok}/{samples}"
    )
    times, ok = [], 0
    for _ in range(samples):
        first = rng.randrange(1, size)
        t = time.perf_counter()
        proof = tree.consistency_proof(first, size)
        times.append(time.perf_counter() - t)
        ok += rfc9162.verify_consistency(
            first, size, bytes.fromhex(proof["first_root_hash"]), root, [bytes.fromhex(h) for h in proof["consistency_path"]]
        )
    print(
        f"一致性证明（{size:,} 个叶子）：中位 {statistics.median(times) * 1000:.2f} ms，"
        f"P95 {sorted(times)[int(samples * 0.95)] * 1000:.2f} ms，验证通过 {ok}/{samples}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--no-witness", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhifa-bench-") as tmp:
        setup(tmp)
        from django.db import connection

        from zhifa.ledger import services, tree, verification

        print(f"数据库：{connection.vendor}，Python {sys.version.split()[0]}，CPU {os.cpu_count()} 核")
        witness_key = None if args.no_witness else start_witness(tmp)
        bench_appends(args.appends)
        seconds = bulk_load(args.leaves)
        print(f"批量载入至 {tree.size():,} 个叶子：{seconds:.1f} 秒")
        t = time.perf_counter()
        services.sign_tree_head()
        print(f"计算根哈希并 SM2 签署树头：{(time.perf_counter() - t) * 1000:.1f} ms")
        if witness_key:
            t = time.perf_counter()
            services.witness_latest()
            print(f"见证方副署 {tree.size():,} 条的树头（含一致性证明）：{(time.perf_counter() - t) * 1000:.1f} ms")
        bench_proofs(tree.size())
        report = verification.verify(check_files=False, witness_keys=[witness_key] if witness_key else [])
        print(
            f"全量校验（zhifa ledger verify）：{report.tree_size:,} 条事件、{report.nodes:,} 个节点、"
            f"{report.tree_heads:,} 个签名树头，用时 {report.seconds:.1f} 秒（{report.tree_size / report.seconds:,.0f} 条/秒），"
            f"见证至 {report.witnessed_size or 0:,} 条，{'通过' if report.ok else '未通过：' + '；'.join(p.message for p in report.problems[:3])}"
        )
        import resource

        print(f"峰值内存：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
