"""The one ledger append, and signing of tree heads.

Every service of every app calls `append` inside its own transaction, so the event is written
if and only if the state change is. This module depends on no other zhifa app, which is what
lets core and org call it (docs/decisions.md).
"""

import base64
import datetime
import decimal
import json
import time
import uuid

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from . import rfc9162, signing, tree
from .models import LedgerEvent, MerkleNode, SigningKey, TreeHead

ENTRY_VERSION = 1
_PG_LOCK_KEY = 0x7A686966  # "zhif": serialises appends across processes on PostgreSQL


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def json_value(value):
    """A model field value as plain JSON (dates ISO 8601, decimals as strings)."""
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


def snapshot(instance: Model, fields) -> dict:
    """The named fields of `instance` as JSON; foreign keys by id."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if field.get_internal_type() == "DecimalField" and value is not None:
            value = decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))  # as stored
        result[name] = json_value(value)
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


def append(kind: str, *, actor=None, obj: Model | None = None, agency_id=None, data: dict | None = None) -> LedgerEvent:
    """Record that `kind` happened to `obj`. Must run inside the transaction that made the change."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.append must be called inside the service's transaction")
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
    event = LedgerEvent.objects.create(
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
    MerkleNode.objects.bulk_create(tree.append_nodes(seq, leaf))
    if not any(hook[1] is sign_tree_head for hook in connection.run_on_commit):
        transaction.on_commit(sign_tree_head, robust=True)  # one signed head per committed transaction
    return event


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
    latest = TreeHead.objects.order_by("-tree_size").first()
    if size == 0 or (latest and latest.tree_size >= size):
        return latest
    root = tree.root_at(size)
    timestamp = max(int(time.time() * 1000), latest.timestamp_ms if latest else 0)
    signature = signing.sign(rfc9162.tree_head_data(timestamp, size, root))
    return TreeHead.objects.create(
        tree_size=size,
        timestamp_ms=timestamp,
        root_hash=root.hex(),
        key=current_key(),
        signature=base64.b64encode(signature).decode(),
    )


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
