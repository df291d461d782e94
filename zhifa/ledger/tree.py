"""The Merkle tree as stored: subtree hashes from the database, roots and proofs at any size."""

from django.core.exceptions import ValidationError
from django.db import connection

from . import rfc9162
from .models import LedgerEvent, MerkleNode


def size() -> int:
    with connection.cursor() as cursor:  # raw: called on every append
        cursor.execute(f"SELECT MAX(seq) FROM {LedgerEvent._meta.db_table}")
        top = cursor.fetchone()[0]
    return 0 if top is None else top + 1


def node_hashes(keys) -> dict[tuple[int, int], bytes]:
    """Hashes of perfect subtrees (level, index); level 0 are the leaves. Raw SQL: on every append."""
    keys = set(keys)
    found = {}
    leaves = [index for level, index in keys if level == 0]
    by_level: dict[int, list[int]] = {}
    for level, index in keys:
        if level:
            by_level.setdefault(level, []).append(index)
    with connection.cursor() as cursor:
        if leaves:
            marks = ", ".join(["%s"] * len(leaves))
            cursor.execute(f"SELECT seq, leaf_hash FROM {LedgerEvent._meta.db_table} WHERE seq IN ({marks})", leaves)
            for seq, h in cursor.fetchall():
                found[(0, seq)] = bytes.fromhex(h)
        if by_level:
            index = connection.ops.quote_name("index")
            clauses, params = [], []
            for level, indexes in by_level.items():
                clauses.append(f"(level = %s AND {index} IN ({', '.join(['%s'] * len(indexes))}))")
                params += [level, *indexes]
            cursor.execute(
                f"SELECT level, {index}, hash FROM {MerkleNode._meta.db_table} WHERE {' OR '.join(clauses)}", params
            )
            for level, idx, h in cursor.fetchall():
                found[(level, idx)] = bytes.fromhex(h)
    missing = keys - set(found)
    if missing:
        raise LookupError(f"账本缺少子树节点：{sorted(missing)[:5]}")
    return found


def range_hashes(ranges) -> list[bytes]:
    """MTH(D[start:end]) for each range, fetching every needed subtree in at most two queries."""
    parts = [rfc9162.decompose(start, end) for start, end in ranges]
    known = node_hashes(key for part in parts for key in part)
    return [rfc9162.fold([known[key] for key in part]) for part in parts]


def root_at(tree_size: int) -> bytes:
    if tree_size == 0:
        return rfc9162.empty_root()
    return range_hashes([(0, tree_size)])[0]


def _check_size(tree_size: int, current: int) -> None:
    if tree_size > current:
        raise ValidationError({"tree_size": f"账本当前只有 {current} 条事件，不能使用大小为 {tree_size} 的树。"})


def inclusion_proof(seq: int, tree_size: int) -> dict:
    current = size()
    _check_size(tree_size, current)
    if not 0 <= seq < tree_size:
        raise ValidationError({"seq": f"事件序号 {seq} 不在大小为 {tree_size} 的树中。"})
    ranges = rfc9162.inclusion_ranges(seq, tree_size)
    hashes = range_hashes([*ranges, (seq, seq + 1), (0, tree_size)])
    return {
        "leaf_index": seq,
        "tree_size": tree_size,
        "leaf_hash": hashes[-2].hex(),
        "inclusion_path": [h.hex() for h in hashes[:-2]],
        "root_hash": hashes[-1].hex(),
    }


def consistency_proof(first: int, second: int) -> dict:
    current = size()
    _check_size(second, current)
    if not 0 < first <= second:
        raise ValidationError({"first": "旧树大小必须大于 0 且不大于新树大小。"})
    ranges = rfc9162.consistency_ranges(first, second)
    hashes = range_hashes([*ranges, (0, first), (0, second)])
    return {
        "first": first,
        "second": second,
        "consistency_path": [h.hex() for h in hashes[:-2]],
        "first_root_hash": hashes[-2].hex(),
        "second_root_hash": hashes[-1].hex(),
    }


def append_nodes(seq: int, leaf: bytes) -> list[MerkleNode]:
    """The subtree nodes completed by leaf `seq` (its left siblings are read from the database)."""
    siblings = []
    level = 0
    while (seq >> level) & 1:
        siblings.append((level, (seq >> level) - 1))
        level += 1
    if not siblings:
        return []
    known = node_hashes(siblings)
    nodes, h = [], leaf
    for level, index in siblings:
        h = rfc9162.node_hash(known[(level, index)], h)
        nodes.append(MerkleNode(level=level + 1, index=(index + 1) >> 1, hash=h.hex()))
    return nodes
