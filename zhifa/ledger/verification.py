"""`zhifa ledger verify`: recompute the whole tree from the rows and the stored files.

Nothing stored is trusted: every leaf hash is recomputed from the entry bytes, every cached
subtree from the leaves, every signed tree head's root from the tree and its signature from the
public key. Apps with files (evidence) register extra checks that run against the same events.
"""

import base64
import collections
import datetime
import gc
import json
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import rfc9162, signing, witness
from .models import Cosignature, LedgerEvent, MerkleNode, SigningKey, TreeHead
from .offline import entry_time_ms
from .replay import Replay

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
    witnessed_size: int | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The apps' rows as the events say they should be, replayed during the pass over the events (replay.compare).
    replay: Replay | None = field(default=None, repr=False, compare=False)

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
            "witnessed_size": self.witnessed_size,
            "problems": [p.__dict__ for p in self.problems],
            "warnings": self.warnings,
        }


def _describe(event) -> str:
    return f"第 {event.seq} 条事件（{event.kind}，{timezone.localtime(event.recorded_at):%Y-%m-%d %H:%M:%S}）"


def _check_columns(report: Report, event, entry: dict) -> None:
    time_text = event.recorded_at.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds")
    actor, obj = entry.get("actor"), entry.get("object")
    actor, obj = actor if isinstance(actor, dict) else {}, obj if isinstance(obj, dict) else {}  # an entry rewritten by hand
    expected = {
        "记录时间": (time_text, entry.get("time")),
        "事件类型": (event.kind, entry.get("kind")),
        "执法主体": (event.agency_id, entry.get("agency")),
        "操作人": (event.actor_id, actor.get("id")),
        "对象类型": (event.object_type, obj.get("type")),
        "对象 ID": (event.object_id, obj.get("id")),
    }
    for label, (column, recorded) in expected.items():
        if column != recorded:
            report.problem("column", f"{_describe(event)}的“{label}”列被改动：表中为 {column!r}，事件内容为 {recorded!r}。", event.seq)


class _Trust:
    """Which log keys may sign which heads: the pinned keys (or, when none are pinned, the first head's key,
    with a warning), then each key handed over by a `ledger.key_changed` event that a trusted key signed.
    A key that handed over signs nothing after its hand-over."""

    def __init__(self, report: Report, keys: dict, pinned: set, heads: list):
        self.report, self.keys = report, keys
        self.trusted = set(pinned)
        if not self.trusted and heads:
            self.trusted.add(heads[0].key_id)
            report.warnings.append(
                "未固定受信任的账本公钥：以第一个签名树头的公钥为准。请用 --trusted-key 或 ZHIFA_LEDGER_TRUSTED_KEYS "
                "指定监督机关另行保存的公钥，以发现密钥被整体替换。"
            )
        self.retired_after: dict[str, int] = {}

    def key_changed(self, event, data: dict) -> None:
        old, new = data.get("old_key_id"), data.get("new_key_id")
        if not witness.key_change_valid(data, {k: self.keys[k] for k in self.trusted if k in self.keys}):
            self.report.problem("key", f"{_describe(event)}：密钥更换声明没有受信任的原密钥的有效签名，新密钥不予承认。", event.seq)
            return
        self.trusted.add(new)
        self.keys.setdefault(new, data["new_public_key_pem"])
        self.retired_after[old] = event.seq + 1

    def check_head(self, head) -> None:
        if head.key_id not in self.trusted:
            self.report.problem(
                "key", f"签名树头（{head.tree_size} 条）由未经授权的密钥 {head.key_id[:16]}… 签名：签名密钥被替换。"
            )
        elif head.tree_size > self.retired_after.get(head.key_id, head.tree_size):
            self.report.problem("key", f"签名树头（{head.tree_size} 条）由已交接的旧密钥签名。")


_Event = collections.namedtuple(
    "_Event", ["seq", "entry", "leaf_hash", "recorded_at", "kind", "agency_id", "actor_id", "object_type", "object_id"]
)


def _check_events(report: Report, heads: list, keys: dict, trust: _Trust, witnessed: dict, now_ms: int) -> bool:
    """Every event, node and head; False when it had to stop early (events missing)."""
    bound_ms = settings.ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS * 1000
    frontier = rfc9162.Frontier()
    stored_nodes = MerkleNode.objects.order_by("id").values_list("level", "index", "hash").iterator(chunk_size=20000)
    nodes_ok = True
    head_iter = iter(heads)
    head = next(head_iter, None)
    last_good_seq = -1
    run_first = None  # (seq, time ms) of the oldest event not yet covered by a signed head
    run_last_ms = None
    rows = LedgerEvent.objects.order_by("seq").values_list(*_Event._fields).iterator(chunk_size=5000)
    for event in map(_Event._make, rows):  # tuples, not model instances: a third of the time at a million events
        expected_seq = frontier.size
        if event.seq != expected_seq:
            report.problem(
                "gap",
                f"事件序号不连续：第 {expected_seq} 至 {event.seq - 1} 条事件缺失（被删除）。",
                expected_seq,
            )
            return False
        try:
            entry = json.loads(event.entry)
            if not isinstance(entry, dict):
                raise ValueError
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
            if report.replay is not None:
                report.replay.feed(event.object_type, event.object_id, event.kind, entry)
            if entry.get("kind") == "ledger.key_changed":
                trust.key_changed(event, entry.get("data") or {})
        ms = entry_time_ms(entry)
        if run_first is None:
            run_first = (event.seq, ms)
        if ms is not None:
            run_last_ms = ms if run_last_ms is None else max(run_last_ms, ms)
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
        for point in witnessed.pop(frontier.size, ()):
            if point["root_hash"] != frontier.root().hex():
                report.problem(
                    "witness",
                    f"见证方“{point['witness']}”副署的树头（{frontier.size} 条）与重新计算的根哈希不符："
                    f"见证之后，第 {frontier.size} 条及以前的记录被改写（即使重新签名也无效）。",
                    frontier.size,
                )
        while head is not None and head.tree_size == frontier.size:
            _check_head(report, head, frontier.root(), keys, last_good_seq)
            trust.check_head(head)
            if run_first is not None:
                _check_delay(report, head, run_first, run_last_ms, bound_ms)
            run_first = run_last_ms = None
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
    for size, points in sorted(witnessed.items()):
        if size > frontier.size:
            report.problem(
                "truncated",
                f"账本被截断：见证方“{points[0]['witness']}”副署的树头记录了 {size} 条事件，数据库中只有 {frontier.size} 条。",
                frontier.size,
            )
    if run_first is not None:
        seq, ms = run_first
        waited = (now_ms - ms) / 1000 if ms is not None else None
        text = f"第 {seq} 至 {frontier.size - 1} 条事件尚未被签名树头覆盖"
        if waited is not None and waited * 1000 > bound_ms:
            report.problem(
                "unsigned",
                f"{text}，已超过 {settings.ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS} 秒（{waited:.0f} 秒）：签名树头可能被删除，"
                "或签名进程没有运行（运行 zhifa ledger signer）。",
                seq,
            )
        else:
            report.warnings.append(f"{text}（刚刚记录，等待定时签名）。")
    return True


def _check_delay(report: Report, head, run_first, run_last_ms, bound_ms: int) -> None:
    """Each event must be covered by a head signed within the bound: a head made later (after the
    timely heads were deleted, say) does not vouch for the events before it."""
    seq, first_ms = run_first
    if first_ms is not None and head.timestamp_ms - first_ms > bound_ms:
        report.problem(
            "unsigned",
            f"第 {seq} 至 {head.tree_size - 1} 条事件在 {settings.ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS} 秒内没有签名树头覆盖"
            f"（最早覆盖它们的树头晚了 {(head.timestamp_ms - first_ms) / 1000:.0f} 秒）：签名树头被删除后重新签名，"
            "或签名进程曾长时间停止。",
            seq,
        )
    if run_last_ms is not None and head.timestamp_ms + 1000 < run_last_ms:
        report.problem("head-order", f"签名树头（{head.tree_size} 条）的签名时间早于它覆盖的事件：树头是伪造的。", head.tree_size - 1)


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


def load_pinned(items) -> dict[str, str]:
    """Pinned public keys, from PEM files or PEM text: {key id: PEM}. Raises ValueError for one that is neither."""
    pinned = {}
    for item in items or ():
        text = item
        if "-----BEGIN" not in item:
            with open(item, encoding="utf-8") as fh:
                text = fh.read()
        pinned[signing.key_id(text)] = text
    return pinned


def _witnessed(report: Report, witness_keys: dict, checkpoints: list) -> dict:
    """Cosigned heads whose witness key is pinned and whose cosignature verifies: {tree_size: [point]}.
    From the database's cosignature table and from checkpoints kept or fetched elsewhere."""
    origin = settings.ZHIFA_LEDGER_ORIGIN
    points: dict[int, list] = {}
    rows = [c.as_dict() for c in Cosignature.objects.order_by("tree_size")]
    for point in [*rows, *checkpoints]:
        key = witness_keys.get(point.get("key_id"))
        if key is None:
            continue
        if not witness.cosignature_valid(point, key, origin):
            report.problem("witness", f"见证方“{point.get('witness', '')}”对 {point.get('tree_size')} 条的副署签名无效（被伪造或被改动）。")
            continue
        points.setdefault(int(point["tree_size"]), []).append(point)
    return points


def verify(
    *,
    check_files: bool = True,
    checkpoint: dict | None = None,
    trusted_keys=(),
    witness_keys=(),
    witness_checkpoints=(),
) -> Report:
    """trusted_keys / witness_keys: PEM files or texts pinned outside the database (the settings' are added);
    witness_checkpoints: cosigned heads kept by a supervisor or fetched from a witness (GET /checkpoint).

    Everything is read in one transaction that sees one moment of the database (PostgreSQL: REPEATABLE READ;
    SQLite: a read transaction), so events recorded while it runs do not make the rows differ from the replay.

    Python's cycle collector is off meanwhile: the replayed state (a dict per object) grows with the ledger and every
    collection walks all of it (100 k real service events, in-process: 9.7-9.9 s with it, 7.6-8.2 s without). What
    verify builds has no cycles; reference counting frees it as before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        if connection.in_atomic_block:
            return _verify(check_files, checkpoint, trusted_keys, witness_keys, witness_checkpoints)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _verify(check_files, checkpoint, trusted_keys, witness_keys, witness_checkpoints)
    finally:
        if collecting:
            gc.enable()


def _verify(check_files, checkpoint, trusted_keys, witness_keys, witness_checkpoints) -> Report:
    started = time.monotonic()
    report = Report()
    keys = {}
    for key in SigningKey.objects.all():
        if signing.key_id(key.public_key_pem) != key.key_id:
            report.problem("key", f"签名密钥 {key.key_id[:16]}… 的标识与公钥不符。")
        keys[key.key_id] = key.public_key_pem
    pinned = load_pinned([*settings.ZHIFA_LEDGER_TRUSTED_KEYS, *trusted_keys])
    keys.update(pinned)
    pinned_witnesses = load_pinned([*settings.ZHIFA_LEDGER_WITNESS_KEYS, *witness_keys])
    heads = list(TreeHead.objects.order_by("tree_size").values_list("tree_size", "timestamp_ms", "root_hash", "key__key_id", "signature"))
    heads = [_Head(*row) for row in heads]
    report.tree_heads = len(heads)
    for earlier, later in zip(heads, heads[1:]):
        if later.timestamp_ms < earlier.timestamp_ms:
            report.problem("head-order", f"签名树头（{later.tree_size} 条）的时间早于前一个树头。")
    trust = _Trust(report, keys, set(pinned), heads)
    witnessed = _witnessed(report, pinned_witnesses, list(witness_checkpoints))
    latest_witnessed = max(witnessed, default=0)
    now_ms = int(time.time() * 1000)
    report.replay = Replay()
    if not _check_events(report, heads, keys, trust, witnessed, now_ms):
        report.replay = None  # the apps' checks replay from the database instead
    if checkpoint:
        check_checkpoint(report, checkpoint, keys, trust)
    _check_witnessing(report, pinned_witnesses, latest_witnessed, now_ms)
    for check in _checks:
        check(report, check_files)
    report.seconds = time.monotonic() - started
    return report


def _check_witnessing(report: Report, pinned_witnesses: dict, latest: int, now_ms: int) -> None:
    """With witnesses pinned, history is accepted only as far as a witnessed head: events beyond it
    must be recent (the signer asks the witnesses after each head)."""
    if not pinned_witnesses:
        report.warnings.append(
            "未固定见证方公钥（--witness-key 或 ZHIFA_LEDGER_WITNESS_KEYS）：能读取签名密钥的人可以改写账本并重新签名，"
            "只有见证方副署的树头能发现这种改写。"
        )
        return
    report.witnessed_size = latest
    if latest >= report.tree_size:
        return
    first = LedgerEvent.objects.filter(seq=latest).values_list("entry", flat=True).first()
    ms = entry_time_ms(json.loads(first)) if first else None
    text = f"第 {latest} 至 {report.tree_size - 1} 条事件尚未经见证方副署"
    limit = settings.ZHIFA_LEDGER_MAX_UNWITNESSED_SECONDS
    if ms is None or now_ms - ms > limit * 1000:
        report.problem(
            "unwitnessed",
            f"{text}，已超过 {limit} 秒：见证方无法连接、拒绝副署（账本与其见证的不一致），或副署记录被删除。"
            "在此之后的记录不能确认未被改写。",
            latest,
        )
    else:
        report.warnings.append(f"{text}（刚刚记录，等待见证）。")


@dataclass
class _Head:
    tree_size: int
    timestamp_ms: int
    root_hash: str
    key_id: str
    signature: str


def check_checkpoint(report: Report, checkpoint: dict, keys: dict, trust: "_Trust") -> None:
    """Compare with a tree head kept outside this database (e.g. by the supervising 司法局)."""
    size = int(checkpoint["tree_size"])
    root = bytes.fromhex(checkpoint["root_hash"])
    data = rfc9162.tree_head_data(int(checkpoint["timestamp_ms"]), size, root)
    key = keys.get(checkpoint.get("key_id"))
    if key is None or not signing.verify(key, data, base64.b64decode(checkpoint["signature"])):
        report.problem("checkpoint", "外部保存的树头签名无效，或签名密钥不在本账本中。")
        return
    if checkpoint.get("key_id") not in trust.trusted:
        report.problem("checkpoint", "外部保存的树头不是由受信任的密钥签名的。")
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
