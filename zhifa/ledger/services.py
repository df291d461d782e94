"""The one ledger append, and signing of tree heads.

Every service of every app calls `append` inside its own transaction, so the event is written
if and only if the state change is. This module depends on no other zhifa app, which is what
lets core and org call it (docs/decisions.md).
"""

import atexit
import base64
import datetime
import decimal
import functools
import json
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone

from . import events, rfc9162, signing, tree, witness
from .models import Cosignature, LedgerEvent, MerkleNode, SigningKey, TreeHead, Witness

log = logging.getLogger(__name__)

ENTRY_VERSION = 1
_PG_LOCK_KEY = 0x7A686966  # "zhif": serialises appends across processes on PostgreSQL


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


_PLAIN = (str, int, float, bool, type(None))


def json_value(value):
    """A model field value as plain JSON (dates ISO 8601, decimals as strings)."""
    if isinstance(value, _PLAIN):  # most values: nothing to convert (checked first, on every field of every snapshot)
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):  # UTC, so the value reads back the same from any database
            value = value.astimezone(datetime.timezone.utc)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Model):
        return value.pk
    return value


@functools.lru_cache(maxsize=None)
def _snapshot_plan(model, fields: tuple) -> tuple:
    """(name, attname, decimal quantum or None) per field: looked up once per model and field list."""
    plan = []
    for name in fields:
        field = model._meta.get_field(name)
        quantum = decimal.Decimal(1).scaleb(-field.decimal_places) if field.get_internal_type() == "DecimalField" else None
        plan.append((name, field.attname, quantum))
    return tuple(plan)


_PLAIN_TYPES = frozenset(_PLAIN)


def snapshot(instance: Model, fields) -> dict:
    """The named fields of `instance` as JSON; foreign keys by id."""
    result = {}
    loaded = instance.__dict__  # loaded columns read directly: a foreign key's id past its descriptor (verify reads every row)
    for name, attname, quantum in _snapshot_plan(type(instance), tuple(fields)):
        value = loaded[attname] if attname in loaded else getattr(instance, attname)  # getattr loads a deferred one
        if quantum is not None and value is not None:
            value = decimal.Decimal(value).quantize(quantum)  # as stored
        # Most values are plain already (verify takes a snapshot of every row it checks): no call for them.
        result[name] = value if value.__class__ in _PLAIN_TYPES else json_value(value)
    return result


def changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _actor(actor) -> dict | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return {"id": actor.pk, "username": actor.get_username(), "name": getattr(actor, "full_name", "") or ""}


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


@functools.lru_cache(maxsize=None)
def _insert_sql(vendor: str) -> tuple[str, str]:
    """The two INSERT statements, built once per database backend (the columns are the models' own)."""
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in LedgerEvent._meta.concrete_fields]
    event = f"INSERT INTO {quote(LedgerEvent._meta.db_table)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    node_columns = ", ".join(quote(c) for c in ("level", "index", "hash"))
    return event, f"INSERT INTO {quote(MerkleNode._meta.db_table)} ({node_columns}) VALUES (%s, %s, %s)"


def _insert(event: LedgerEvent, nodes: list) -> None:
    """The event row and its tree nodes, in plain INSERTs: the ORM's statement building was a fifth of a
    single-event service call, and these rows never change shape."""
    event_sql, node_sql = _insert_sql(connection.vendor)
    values = [connection.ops.adapt_datetimefield_value(event.recorded_at) if f.name == "recorded_at" else getattr(event, f.attname)
              for f in LedgerEvent._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(event_sql, values)
        for node in nodes:
            cursor.execute(node_sql, [node.level, node.index, node.hash])
    event._state.adding = False
    event._state.db = connection.alias


def append(kind: str, *, actor=None, obj: Model | None = None, agency_id=None, data: dict | None = None) -> LedgerEvent:
    """Record that `kind` happened to `obj`. Must run inside the transaction that made the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.append must be called inside the service's transaction")
    events.check(kind, data or {})
    _lock()
    seq = tree.size()
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    if agency_id is None and obj is not None:  # an agency is its own scope; other objects carry agency_id
        agency_id = obj.pk if obj._meta.label_lower == "org.agency" else getattr(obj, "agency_id", None)
    who = _actor(actor)
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    entry = canonical_json(
        {
            "v": ENTRY_VERSION,
            "seq": seq,
            "time": now.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "kind": kind,
            "actor": who,
            "agency": agency_id,
            "object": {"type": object_type, "id": object_id, "label": str(obj) if obj is not None else ""},
            "data": json_value(data or {}),
        }
    )
    leaf = rfc9162.leaf_hash(entry.encode())
    event = LedgerEvent(
        seq=seq,
        recorded_at=now,
        kind=kind,
        actor_id=who["id"] if who else None,
        agency_id=agency_id,
        object_type=object_type,
        object_id=object_id,
        entry=entry,
        leaf_hash=leaf.hex(),
    )
    _insert(event, tree.append_nodes(seq, leaf))
    inline = settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS <= 0
    if inline:
        try:  # in the same transaction: the head commits, or rolls back, with its event
            with transaction.atomic():
                sign_tree_head()
        except Exception:  # a signing fault never blocks the service; verify reports the unsigned events
            log.exception("账本树头签名失败")
    hook = next((h[1] for h in connection.run_on_commit if isinstance(h[1], _Committed)), None)
    if hook is None:
        hook = _Committed(sign=not inline)
        transaction.on_commit(hook, robust=True)
    hook.events += 1
    return event


# Called with the number of events after a transaction that appended commits (the workflow app's dispatcher
# registers here to learn that there is something to dispatch). A plain list: the ledger imports no other app.
committed_listeners: list = []


class _Committed:
    """The on-commit hook of a transaction that appended: tells the signer how many events now wait, and the
    listeners that events were committed."""

    def __init__(self, sign: bool = True):
        self.events = 0
        self.sign = sign

    def __call__(self):
        if self.sign:
            signer.committed(self.events)
        for listener in committed_listeners:
            try:
                listener(self.events)
            except Exception:  # a listener's fault never reaches the service that committed
                log.exception("账本提交通知失败")


class PeriodicSigner:
    """Signs tree heads every ZHIFA_LEDGER_SIGN_INTERVAL_MS, or at once when ZHIFA_LEDGER_SIGN_BATCH events
    wait, as transparency logs checkpoint; then asks the witnesses to countersign.

    One per process, on a daemon thread of its own, so requests never wait for a signature. With an
    interval of 0 (the tests) each append signs a head inside its own transaction instead. What a
    process leaves unsigned when it dies is signed by the next process's first append, by
    `zhifa ledger signer` (a service of its own) or by `zhifa ledger sign` from cron; `verify` fails
    for any event that waited longer than ZHIFA_LEDGER_MAX_UNSIGNED_SECONDS.
    """

    def __init__(self):
        self.cond = threading.Condition()
        self.pending = 0
        self.flushing = False
        self.thread = None
        self.last = 0.0
        self.last_witnessed = -1e9

    def committed(self, events: int) -> None:
        with self.cond:
            self.pending += events
            if self.thread is None or not self.thread.is_alive():
                self.pending += 1  # a fresh process signs whatever an earlier one left unsigned
                self.thread = threading.Thread(target=self._run, name="zhifa-ledger-signer", daemon=True)
                self.thread.start()
            self.cond.notify()

    def _due(self) -> float:
        """Seconds until the next signature is due (0: now), or None when nothing waits."""
        if not self.pending:
            return None
        if self.pending >= settings.ZHIFA_LEDGER_SIGN_BATCH:
            return 0.0
        return max(0.0, self.last + settings.ZHIFA_LEDGER_SIGN_INTERVAL_MS / 1000 - time.monotonic())

    def _run(self) -> None:
        while True:
            with self.cond:
                while (wait := self._due()) != 0.0:
                    self.cond.wait(wait)
                self.pending = 0
                self.last = time.monotonic()
                self.flushing = True
            try:
                self.flush()
            finally:
                with self.cond:
                    self.flushing = False
                    self.cond.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until nothing waits to be signed and no signature is under way (tests, orderly shutdown)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.pending or self.flushing:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.05))
        return True

    def flush(self) -> None:
        try:
            sign_tree_head()
            due = time.monotonic() - self.last_witnessed >= settings.ZHIFA_LEDGER_WITNESS_INTERVAL_SECONDS
            if due and Witness.objects.filter(active=True).exists():
                self.last_witnessed = time.monotonic()
                witness_latest()
        except Exception:  # the next round tries again; verify reports what stayed unsigned
            log.exception("账本树头签名或见证失败")
        finally:
            connections.close_all()  # this thread's connections only

    def at_exit(self) -> None:
        """At interpreter exit daemon threads still run but die right after: wait for a signature under way
        (a command that appended and exited at once left its event unsigned), then sign what still waits."""
        self.wait_idle(timeout=30)
        with self.cond:
            waiting = self.pending
            self.pending = 0
        if waiting:
            try:
                sign_tree_head()
            except Exception:
                log.exception("退出前签署账本树头失败")


signer = PeriodicSigner()
atexit.register(signer.at_exit)


def _now_ms() -> int:
    return int(time.time() * 1000)


def latest_head() -> TreeHead | None:
    """The latest signed head; a read, so it never signs (the periodic signer does)."""
    return TreeHead.objects.select_related("key").order_by("-tree_size").first()


def current_key() -> SigningKey:
    pem, kid = signing.public_identity()
    key = SigningKey.objects.filter(key_id=kid).first()
    if key is None:
        key = SigningKey.objects.create(key_id=kid, algorithm=signing.ALGORITHM, public_key_pem=pem)
    return key


@transaction.atomic
def sign_tree_head() -> TreeHead | None:
    """Sign the current tree unless the latest signed head already covers it.

    The append lock (PostgreSQL) or the IMMEDIATE transaction (SQLite) makes concurrent signers queue,
    so the second finds the head already signed.
    """
    _lock()
    size = tree.size()
    latest = latest_head()
    if size == 0 or (latest and latest.tree_size >= size):
        return latest
    if latest is not None:
        # Sign only a tree that extends the last signed one: a history rewritten under a signed head is refused
        # here (and by every witness), not signed over.
        data = rfc9162.tree_head_data(latest.timestamp_ms, latest.tree_size, bytes.fromhex(latest.root_hash))
        if not signing.verify(latest.key.public_key_pem, data, base64.b64decode(latest.signature)) or (
            tree.root_at(latest.tree_size).hex() != latest.root_hash
        ):
            raise RuntimeError(
                f"账本与最新签名树头（{latest.tree_size} 条）不一致，拒绝签名：记录可能被改写。请运行 zhifa ledger verify。"
            )
    root = tree.root_at(size)
    timestamp = max(_now_ms(), latest.timestamp_ms if latest else 0)
    key = current_key()
    if latest and latest.key_id != key.pk and not LedgerEvent.objects.filter(
        kind="ledger.key_changed", object_type="ledger.signingkey", object_id=str(key.pk)
    ).exists():
        # A key file swapped behind zhifa's back: a new key may only sign after the old one handed over.
        raise RuntimeError(
            "账本签名密钥与此前签名的密钥不同，且没有经原密钥签署的更换记录；"
            "请恢复原密钥文件，或用 zhifa ledger rotate-key 更换密钥。"
        )
    signature = signing.sign(rfc9162.tree_head_data(timestamp, size, root))
    return TreeHead.objects.create(
        tree_size=size,
        timestamp_ms=timestamp,
        root_hash=root.hex(),
        key=key,
        signature=base64.b64encode(signature).decode(),
    )


def head_dict(head: TreeHead) -> dict:
    return {
        "tree_size": head.tree_size,
        "timestamp_ms": head.timestamp_ms,
        "root_hash": head.root_hash,
        "key_id": head.key.key_id,
        "signature": head.signature,
    }


def rotate_key(actor=None, new_key=None) -> SigningKey:
    """Hand signing over to a new key: the old key signs the hand-over, recorded as a ledger event,
    and signs the head that covers it; the new key signs from then on. The old key file is kept beside
    the new one (suffix .retired-<time>) for the records, and should then be moved off the server."""
    path = signing.key_path()
    old_private = signing.private_key()
    old_pem, old_id = signing.public_identity()
    new_key = new_key or signing.generate()
    new_pem = signing.public_pem(new_key)
    new_id = signing.key_id(new_pem)
    if new_id == old_id:
        raise ValidationError("新密钥与当前密钥相同。")
    with transaction.atomic():
        _lock()
        sign_tree_head()
        current_key()  # the old key is on record before it hands over
        new_row, _ = SigningKey.objects.get_or_create(
            key_id=new_id, defaults={"algorithm": signing.ALGORITHM, "public_key_pem": new_pem}
        )
        stamp = _now_ms()
        statement = signing.key_transition_statement(old_id, new_id, stamp)
        append(
            "ledger.key_changed",
            actor=actor,
            obj=new_row,
            data={
                "old_key_id": old_id,
                "new_key_id": new_id,
                "new_public_key_pem": new_pem,
                "timestamp_ms": stamp,
                "signature": base64.b64encode(signing.sign(statement, old_private)).decode(),
            },
        )
        sign_tree_head()  # the head covering the hand-over is the old key's last (the key file is not yet replaced)
        retired = path.with_name(f"{path.name}.retired-{stamp}")
        path.rename(retired)
        try:
            signing.write_key_file(path, new_key)
        except BaseException:
            retired.rename(path)
            raise
    return new_row


def key_changes() -> list[dict]:
    """Every signed hand-over, oldest first, as witnesses and verifiers take them."""
    return [
        {k: d[k] for k in ("old_key_id", "new_key_id", "new_public_key_pem", "timestamp_ms", "signature")}
        for d in (json.loads(e)["data"] for e in LedgerEvent.objects.filter(kind="ledger.key_changed").order_by("seq").values_list("entry", flat=True))
    ]


@transaction.atomic
def add_witness(actor, *, name: str, url: str, public_key_pem: str) -> Witness:
    name, url = (name or "").strip(), (url or "").strip().rstrip("/")
    try:
        kid = signing.key_id(public_key_pem)  # parses it as an SM2 public key, too
    except Exception:
        raise ValidationError({"public_key_pem": "见证方公钥不是有效的 SM2 公钥（PEM）。"})
    row = Witness(name=name, url=url, public_key_pem=public_key_pem.strip() + "\n", key_id=kid)
    row.full_clean()
    row.save()
    append("ledger.witness_added", actor=actor, obj=row, data={"name": name, "url": url, "key_id": kid})
    return row


@transaction.atomic
def remove_witness(actor, row: Witness) -> None:
    Witness.objects.filter(pk=row.pk).update(active=False)
    append("ledger.witness_removed", actor=actor, obj=row, data={"name": row.name})


class WitnessError(Exception):
    pass


def witness_head(row: Witness, head: TreeHead, *, timeout: float = 10.0) -> Cosignature:
    """Ask one witness to countersign `head` (C2SP tlog-witness add-checkpoint, JSON)."""
    origin = settings.ZHIFA_LEDGER_ORIGIN
    old = Cosignature.objects.filter(witness_key_id=row.key_id, origin=origin).order_by("-tree_size").first()
    old_size = old.tree_size if old else 0
    for _attempt in range(2):
        proof = tree.consistency_proof(old_size, head.tree_size)["consistency_path"] if 0 < old_size < head.tree_size else []
        body = {"origin": origin, "old_size": old_size, "consistency_path": proof, "head": head_dict(head), "key_changes": key_changes()}
        try:
            status, answer = witness.http_json(f"{row.url}/add-checkpoint", body, timeout)
        except (OSError, ValueError) as exc:
            raise WitnessError(f"见证方“{row.name}”无法连接：{exc}")
        if status == 409 and isinstance(answer.get("tree_size"), int) and answer["tree_size"] != old_size:
            old_size = answer["tree_size"]  # the witness knows a different size (e.g. our copy was lost): prove from it
            continue
        break
    if status != 200:
        raise WitnessError(f"见证方“{row.name}”拒绝副署（{status}）：{answer.get('detail', '')}")
    if not (
        answer.get("tree_size") == head.tree_size
        and answer.get("root_hash") == head.root_hash
        and answer.get("key_id") == row.key_id
        and witness.cosignature_valid(answer, row.public_key_pem, origin)
    ):
        raise WitnessError(f"见证方“{row.name}”返回的副署签名无效。")
    return Cosignature.objects.create(
        origin=origin, tree_size=head.tree_size, root_hash=head.root_hash, witness_name=row.name,
        witness_key_id=row.key_id, timestamp=int(answer["timestamp"]), signature=str(answer["signature"]),
    )


def accept_cosignature(point: dict) -> Cosignature:
    """A cosignature brought by a witness that pulls (witness.py pull): stored when it is a registered
    witness's valid signature over a head of this ledger, as the tree really is at that size."""
    origin = settings.ZHIFA_LEDGER_ORIGIN
    try:
        size, ts = int(point["tree_size"]), int(point["timestamp"])
        root, kid, signature = str(point["root_hash"]).lower(), str(point["key_id"]), str(point["signature"])
        base64.b64decode(signature, validate=True)
        bytes.fromhex(root)
    except (KeyError, TypeError, ValueError):
        raise ValidationError("副署格式不正确：需要 origin、tree_size、root_hash、key_id、timestamp、signature。")
    if point.get("origin") != origin:
        raise ValidationError({"origin": f"本账本的名称是 {origin}。"})
    row = Witness.objects.filter(key_id=kid, active=True).first()
    if row is None:
        raise ValidationError({"key_id": "该公钥不是本平台登记的见证方。"})
    if not 0 < size <= tree.size() or tree.root_at(size).hex() != root:
        raise ValidationError({"root_hash": "副署的树头与本账本不符。"})
    if not witness.cosignature_valid(point, row.public_key_pem, origin):
        raise ValidationError({"signature": "副署签名无效。"})
    existing = Cosignature.objects.filter(witness_key_id=kid, tree_size=size).first()
    if existing is not None:
        return existing
    return Cosignature.objects.create(
        origin=origin, tree_size=size, root_hash=root, witness_name=row.name, witness_key_id=kid, timestamp=ts, signature=signature
    )


def witness_latest(*, timeout: float = 10.0) -> list:
    """Send the latest signed head to every active witness that has not countersigned it yet.
    Returns (witness, cosignature or error message) pairs."""
    head = latest_head()
    results = []
    if head is None:
        return results
    for row in Witness.objects.filter(active=True):
        if Cosignature.objects.filter(witness_key_id=row.key_id, tree_size=head.tree_size).exists():
            continue
        try:
            results.append((row, witness_head(row, head, timeout=timeout)))
        except WitnessError as exc:
            log.warning("%s", exc)
            results.append((row, str(exc)))
    return results


@transaction.atomic
def record_verification(report, *, checked_files: bool) -> LedgerEvent:
    """The outcome of a full `zhifa ledger verify`, so supervisors can see when it last ran and what it found."""
    return append(
        "ledger.verified",
        data={
            "ok": report.ok,
            "tree_size": report.tree_size,
            "tree_heads": report.tree_heads,
            "files": report.files,
            "checked_files": checked_files,
            "seconds": round(report.seconds, 3),
            "problems": [p.message for p in report.problems[:100]],
            "problem_count": len(report.problems),
        },
    )
