"""The tree, proofs and verifiers against the RFC 9162 definitions, written out naively here."""

import pytest

from zhifa.ledger import rfc9162 as r


def mth(leaves):
    return r.root_from_leaves(leaves)


def ref_path(m, leaves):
    n = len(leaves)
    if n == 1:
        return []
    k = r.split_point(n)
    if m < k:
        return ref_path(m, leaves[:k]) + [mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def ref_subproof(m, leaves, b):
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = r.split_point(n)
    if m <= k:
        return ref_subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


LEAVES = [r.leaf_hash(f"事件{i}".encode()) for i in range(40)]


def hashes(ranges, leaves):
    return [mth(leaves[a:b]) for a, b in ranges]


def test_empty_and_single_trees():
    assert r.empty_root() == r.sm3(b"")
    assert r.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert mth(LEAVES[:1]) == LEAVES[0]
    assert r.leaf_hash(b"x") == r.sm3(b"\x00x") and r.node_hash(b"a", b"b") == r.sm3(b"\x01ab")


@pytest.mark.parametrize("n", range(1, 41))
def test_inclusion_proofs_match_definition_and_verify(n):
    leaves = LEAVES[:n]
    root = mth(leaves)
    for m in range(n):
        path = hashes(r.inclusion_ranges(m, n), leaves)
        assert path == ref_path(m, leaves)
        assert r.verify_inclusion(m, n, leaves[m], path, root)
        assert not r.verify_inclusion(m, n, r.leaf_hash(b"forged"), path, root)
        if path:
            assert not r.verify_inclusion(m, n, leaves[m], path[:-1], root)
            assert not r.verify_inclusion(m, n, leaves[m], [*path[:-1], LEAVES[39]], root)


@pytest.mark.parametrize("n", range(1, 41))
def test_consistency_proofs_match_definition_and_verify(n):
    leaves = LEAVES[:n]
    for m in range(1, n + 1):
        path = hashes(r.consistency_ranges(m, n), leaves)
        assert path == (ref_subproof(m, leaves, True) if m < n else [])
        assert r.verify_consistency(m, n, mth(leaves[:m]), mth(leaves), path)
        if m < n:
            assert not r.verify_consistency(m, n, mth([*leaves[: m - 1], LEAVES[39]]), mth(leaves), path)


def test_frontier_gives_every_root_and_completed_subtrees():
    f = r.Frontier()
    nodes = {}
    for i, leaf in enumerate(LEAVES):
        for level, index, h in f.push(leaf):
            nodes[(level, index)] = h
        assert f.root() == mth(LEAVES[: i + 1])
    assert nodes[(3, 2)] == mth(LEAVES[16:24])
    assert len(nodes) == 40 - bin(40).count("1")


def test_decompose_into_perfect_subtrees():
    assert r.decompose(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert r.decompose(8, 16) == [(3, 1)]
    with pytest.raises(ValueError):
        r.decompose(3, 9)


def test_tree_head_data_is_rfc9162_tls_encoding():
    data = r.tree_head_data(1_700_000_000_000, 5, bytes(range(32)))
    assert data[:8] == (1_700_000_000_000).to_bytes(8, "big")
    assert data[8:16] == (5).to_bytes(8, "big")
    assert data[16] == 32 and data[17:49] == bytes(range(32)) and data[49:] == b"\x00\x00"
