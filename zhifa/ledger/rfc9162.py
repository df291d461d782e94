"""Merkle tree hashing, proofs and proof verification exactly as RFC 9162 §2.1, with SM3.

This module uses the standard library only: it is copied verbatim into every ledger export
so that a third party can check the log without zhifa installed.

Hashes are bytes; callers that store or print them use lowercase hex.
"""

import hashlib

HASH_SIZE = 32


_SM3 = hashlib.new("sm3")  # copied for each hash: a third faster than looking the algorithm up by name each time


def sm3(data: bytes = b"") -> bytes:
    h = _SM3.copy()
    h.update(data)
    return h.digest()


def leaf_hash(entry: bytes) -> bytes:
    """MTH({d}) = HASH(0x00 || d)"""
    return sm3(b"\x00" + entry)


def node_hash(left: bytes, right: bytes) -> bytes:
    """HASH(0x01 || MTH(left) || MTH(right))"""
    return sm3(b"\x01" + left + right)


def empty_root() -> bytes:
    """MTH({}) = HASH()"""
    return sm3(b"")


def split_point(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def decompose(start: int, end: int) -> list[tuple[int, int]]:
    """The perfect, aligned subtrees (level, index) that make up D[start:end], left to right.

    Every range that appears in RFC 9162 proofs starts on a boundary of its own split, so it is
    the concatenation of perfect subtrees of strictly decreasing size.
    """
    nodes = []
    while start < end:
        size = split_point(end - start) if end - start > 1 else 1
        if end - start == 2 * size:
            size *= 2
        level = size.bit_length() - 1
        if start % size:
            raise ValueError(f"range [{start}, {end}) is not aligned")
        nodes.append((level, start >> level))
        start += size
    return nodes


def fold(hashes: list[bytes]) -> bytes:
    """MTH of a range from the hashes of its perfect subtrees (decreasing size, left to right)."""
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node_hash(h, result)
    return result


def root_from_leaves(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) for a list of leaf hashes (not entries); reference implementation for small n."""
    n = len(leaves)
    if n == 0:
        return empty_root()
    if n == 1:
        return leaves[0]
    k = split_point(n)
    return node_hash(root_from_leaves(leaves[:k]), root_from_leaves(leaves[k:]))


class Frontier:
    """The right edge of a growing tree: append leaves one by one, read the root at any size.

    `push` returns the perfect subtrees completed by the new leaf as (level, index, hash), in the
    order a ledger stores them.
    """

    def __init__(self):
        self.size = 0
        self.stack: list[tuple[int, bytes]] = []  # (level, hash), levels strictly decreasing

    def push(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        completed = []
        level, h = 0, leaf
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            h = node_hash(left, h)
            level += 1
            completed.append((level, index >> level, h))
        self.stack.append((level, h))
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.stack:
            return empty_root()
        return fold([h for _, h in self.stack])


# --- proofs (RFC 9162 §2.1.3.1 and §2.1.4.1), expressed as ranges ------------------------------


def inclusion_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """PATH(m, D[n]) as the ranges whose MTH make up the audit path, leaf side first."""
    if not 0 <= m < n:
        raise ValueError("leaf index out of range")
    ranges = []
    start = 0
    while n - start > 1:
        k = split_point(n - start)
        if m < start + k:
            ranges.append((start + k, n))
            n = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """PROOF(m, D[n]) as ranges, in the order of the RFC's SUBPROOF recursion output."""
    if not 0 < m <= n:
        raise ValueError("sizes out of range")
    if m == n:
        return []
    return _subproof(m, 0, n, True)


def _subproof(m: int, start: int, end: int, b: bool) -> list[tuple[int, int]]:
    n = end - start
    if m == n:
        return [] if b else [(start, end)]
    k = split_point(n)
    if m <= k:
        return _subproof(m, start, start + k, b) + [(start + k, end)]
    return _subproof(m - k, start + k, end, False) + [(start, start + k)]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ------------------------------------------


def _is_size(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2. Indexes and sizes are non-negative integers; anything else fails."""
    if not (_is_size(leaf_index) and _is_size(tree_size)) or leaf_index >= tree_size:
        return False
    if len(path) != len(inclusion_ranges(leaf_index, tree_size)):
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2. An empty tree proves nothing, so a first size of 0 always fails."""
    if not (_is_size(first) and _is_size(second)) or first == 0 or first > second:
        return False
    if first == second:
        return not path and first_root == second_root
    if not path or len(path) != len(consistency_ranges(first, second)):
        return False
    path = list(path)
    if first & (first - 1) == 0:  # first is an exact power of 2
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- signed tree heads (RFC 9162 §4.10) -----------------------------------------------------


def tree_head_data(timestamp_ms: int, tree_size: int, root: bytes) -> bytes:
    """TLS encoding of TreeHeadDataV2 {uint64 timestamp; uint64 tree_size; NodeHash root_hash;
    Extension sth_extensions<0..2^16-1>} with no extensions: the bytes that are SM2-signed."""
    return (
        timestamp_ms.to_bytes(8, "big")
        + tree_size.to_bytes(8, "big")
        + len(root).to_bytes(1, "big")
        + root
        + (0).to_bytes(2, "big")
    )
