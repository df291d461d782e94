"""Fetch the pinned uv from PyPI with the standard library only, for machines whose system Python refuses
`pip install` (PEP 668, Debian 12/13) and may have neither pip nor venv.

The wheel is checked against the SHA-256 pinned below, then its `uv` binary is unpacked into a cache
directory outside the system Python. Prints the binary's path. Nothing is installed into any Python.
"""

import hashlib
import os
import platform
import stat
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

VERSION = "0.13.9"
FILES = "https://files.pythonhosted.org/packages"
WHEELS = {
    "x86_64": (
        "3d/aa/26d64642d808de4a652579ef950d7cd2d37f080a8babf9c67c6b75fc4c3f/"
        "uv-0.13.9-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "d7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19",
    ),
    "aarch64": (
        "57/15/94b6cd62ac3ff6550288328e8035288875197cbc183f51554b266a69877b/"
        "uv-0.13.9-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl",
        "5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe",
    ),
}


def main() -> int:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zhifa" / f"uv-{VERSION}"
    target = cache / "uv"
    if target.is_file() and os.access(target, os.X_OK):
        print(target)
        return 0
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform != "linux" or machine not in WHEELS:
        print(f"错误：没有适用于 {sys.platform}/{machine} 的 uv，请手工安装 uv {VERSION} 后重试。", file=sys.stderr)
        return 1
    path, expected = WHEELS[machine]
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        wheel = Path(tmp) / "uv.whl"
        digest = hashlib.sha256()
        with urllib.request.urlopen(f"{FILES}/{path}", timeout=120) as response, wheel.open("wb") as out:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            print(f"错误：下载的 uv {VERSION} 校验值不符，已丢弃。", file=sys.stderr)
            return 1
        with zipfile.ZipFile(wheel) as archive:
            member = f"uv-{VERSION}.data/scripts/uv"
            staged = Path(tmp) / "uv"
            staged.write_bytes(archive.read(member))
        staged.chmod(staged.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(staged, target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
