"""Helpers for tests that take a ledger export apart (also used by apps above the ledger)."""

import tarfile

from zhifa.ledger import export


def exported(tmp_path):
    """Export the ledger and unpack it; returns the unpacked zhifa-ledger/ directory."""
    archive = tmp_path / "ledger.tar"
    export.export_ledger(archive)
    target = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "zhifa-ledger"
