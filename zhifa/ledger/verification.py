"""`zhifa ledger verify`: recompute the whole tree from the rows and the stored files.

Nothing stored is trusted: every leaf hash is recomputed from the entry bytes, every cached
subtree from the leaves, every signed tree head's root from the tree and its signature from the
public key. Apps with files (evidence) register extra checks that run against the same events.
"""

import base64
import datetime
import json
import time
from dataclasses import dataclass, field

from django.utils import timezone

from . import rfc9162, signing
from .models import LedgerEvent, MerkleNode, SigningKey, TreeHead

_checks = []


def register_check(fn):
    """fn(report, check_files: bool) appends problems for data kept outside the ledger tables."""
    if fn not in _checks:
        _checks.append(fn)
    return fn


@dataclass
class Problem:
    code: str
    message: str
    seq: int | None = None


@dataclass
class Report:
    tree_size: int = 0
    tree_heads: int = 0
    nodes: int = 0
    files: int = 0
    file_bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, code: str, message: str, seq: int | None = None) -> None:
        self.problems.append(Problem(code, message, seq))

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "tree_size": self.tree_size,
            "tree_heads": self.tree_heads,
            "nodes": self.nodes,
            "files": self.files,
            "file_bytes": self.file_bytes,
            "seconds": round(self.seconds, 3),
            "problems": [p.__dict__ for p in self.problems],
            "warnings": self.warnings,
        }


def _describe(event) -> str:
    return f"第 {event.seq} 条事件（{event.kind}，{timezone.localtime(event.recorded_at):%Y-%m-%d %H:%M:%S}）"


def _check_columns(report: Report, event, entry: dict) -> None:
    time_text = event.recorded_at.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
    expected = {
        "记录时间": (time_text, entry.get("time")),
        "事件类型": (event.kind, entry.get("kind")),
        "执法主体": (event.agency_id, entry.get("agency")),
        "操作人": (event.actor_id, (entry.get("actor") or {}).get("id")),
        "对象类型": (event.object_type, entry.get("object", {}).get("type")),
        "对象 ID": (event.object_id, entry.get("object", {}).get("id")),
    }
    for label, (column, recorded) in expected.items():
        if column != recorded:
            report.problem("column", f"{_describe(event)}的“{label}”列被改动：表中为 {column!r}，事件内容为 {recorded!r}。", event.seq)


def _check_events(report: Report, heads: list, keys: dict) -> None:
    frontier = rfc9162.Frontier()
    stored_nodes = MerkleNode.objects.order_by("id").values_list("level", "index", "hash").iterator(chunk_size=20000)
    nodes_ok = True
    head_iter = iter(heads)
    head = next(head_iter, None)
    last_good_seq = -1
    for event in LedgerEvent.objects.order_by("seq").iterator(chunk_size=5000):
        expected_seq = frontier.size
        if event.seq != expected_seq:
            report.problem(
                "gap",
                f"事件序号不连续：第 {expected_seq} 至 {event.seq - 1} 条事件缺失（被删除）。",
                expected_seq,
            )
            return
        try:
            entry = json.loads(event.entry)
        except ValueError:
            report.problem("entry", f"{_describe(event)}的内容不是有效的 JSON，已被改动。", event.seq)
            entry = {}
        leaf = rfc9162.leaf_hash(event.entry.encode())
        if entry.get("seq") != event.seq and entry:
            report.problem("order", f"{_describe(event)}的内容记载的序号为 {entry.get('seq')}，事件顺序被调换。", event.seq)
        if leaf.hex() != event.leaf_hash:
            report.problem("leaf", f"{_describe(event)}的内容被改动：重新计算的叶子哈希与存储值不符。", event.seq)
        if entry:
            _check_columns(report, event, entry)
        for level, index, h in frontier.push(leaf):
            stored = next(stored_nodes, None)
            report.nodes += 1
            if nodes_ok and stored != (level, index, h.hex()):
                nodes_ok = False
                first = index << level
                report.problem(
                    "node",
                    f"默克尔树节点（层 {level}，位置 {index}）与重新计算值不符，涉及第 {first} 至 {first + (1 << level) - 1} 条事件。",
                    first,
                )
        while head is not None and head.tree_size == frontier.size:
            _check_head(report, head, frontier.root(), keys, last_good_seq)
            last_good_seq = frontier.size - 1
            head = next(head_iter, None)
    report.tree_size = frontier.size
    if nodes_ok and next(stored_nodes, None) is not None:
        report.problem("node", "存在多余的默克尔树节点，账本事件可能被截断。")
    while head is not None:
        report.problem(
            "truncated",
            f"账本被截断：签名树头（{head.tree_size} 条）之后，数据库中只剩 {frontier.size} 条事件，"
            f"第 {frontier.size} 至 {head.tree_size - 1} 条事件缺失。",
            frontier.size,
        )
        head = next(head_iter, None)
    signed = heads[-1].tree_size if heads else 0
    if frontier.size > signed:
        report.warnings.append(f"最后 {frontier.size - signed} 条事件尚未被签名树头覆盖（运行 zhifa ledger sign 签名）。")


def _check_head(report: Report, head, root: bytes, keys: dict, last_good_seq: int) -> None:
    if head.root_hash != root.hex():
        report.problem(
            "root",
            f"签名树头（{head.tree_size} 条）的根哈希与重新计算值不符："
            f"第 {last_good_seq + 1} 至 {head.tree_size - 1} 条事件之间有记录被改动、插入或调换。",
            last_good_seq + 1,
        )
    key = keys.get(head.key_id)
    data = rfc9162.tree_head_data(head.timestamp_ms, head.tree_size, bytes.fromhex(head.root_hash))
    if key is None or not signing.verify(key, data, base64.b64decode(head.signature)):
        report.problem("signature", f"签名树头（{head.tree_size} 条）的 SM2 签名无效。")


def check_checkpoint(report: Report, checkpoint: dict, keys: dict) -> None:
    """Compare with a tree head kept outside this database (e.g. by the supervising 司法局)."""
    size = int(checkpoint["tree_size"])
    root = bytes.fromhex(checkpoint["root_hash"])
    data = rfc9162.tree_head_data(int(checkpoint["timestamp_ms"]), size, root)
    key = keys.get(checkpoint.get("key_id"))
    if key is None or not signing.verify(key, data, base64.b64decode(checkpoint["signature"])):
        report.problem("checkpoint", "外部保存的树头签名无效，或签名密钥不在本账本中。")
        return
    if size > report.tree_size:
        report.problem(
            "truncated",
            f"账本被截断：外部保存的树头记录了 {size} 条事件，数据库中只有 {report.tree_size} 条。",
            report.tree_size,
        )
        return
    from .tree import root_at

    if root_at(size) != root:
        report.problem("checkpoint", f"外部保存的树头（{size} 条）与当前账本不一致：此前的记录被改写。")


def verify(*, check_files: bool = True, checkpoint: dict | None = None) -> Report:
    started = time.monotonic()
    report = Report()
    keys = {}
    for key in SigningKey.objects.all():
        if signing.key_id(key.public_key_pem) != key.key_id:
            report.problem("key", f"签名密钥 {key.key_id[:16]}… 的标识与公钥不符。")
        keys[key.key_id] = key.public_key_pem
    heads = list(TreeHead.objects.order_by("tree_size").values_list("tree_size", "timestamp_ms", "root_hash", "key__key_id", "signature"))
    heads = [_Head(*row) for row in heads]
    report.tree_heads = len(heads)
    for earlier, later in zip(heads, heads[1:]):
        if later.timestamp_ms < earlier.timestamp_ms:
            report.problem("head-order", f"签名树头（{later.tree_size} 条）的时间早于前一个树头。")
    _check_events(report, heads, keys)
    if checkpoint:
        check_checkpoint(report, checkpoint, keys)
    for check in _checks:
        check(report, check_files)
    report.seconds = time.monotonic() - started
    return report


@dataclass
class _Head:
    tree_size: int
    timestamp_ms: int
    root_hash: str
    key_id: str
    signature: str
