"""`zhifa ledger export`: a self-contained .tar that `verify.py` inside it re-checks offline.

Exporters contributed by other apps (evidence) add their rows and files through `register_exporter`.
"""

import io
import json
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import offline, witness
from .models import Cosignature, LedgerEvent, SigningKey, TreeHead, Witness
from .services import canonical_json, head_dict, latest_head, sign_tree_head, witness_latest

_exporters = []

README = """执法记录账本导出文件
====================

本文件由 zhifa 行政执法平台导出，包含：
  events.jsonl       全部账本事件（按序号），entry 字段为参与哈希计算的原始内容
  tree_heads.jsonl   签名树头（RFC 9162 TreeHeadDataV2，SM2 签名，SM3 摘要，用户标识 1234567812345678）
  cosignatures.jsonl 见证方副署（C2SP tlog-cosignature/v1 消息，SM2 签名）
  witness.py         见证程序（第三方可自行运行，见 README）
  keys/              签名公钥（PEM），文件名为公钥 DER 编码的 SM3 哈希
  evidence.jsonl     证据登记信息
  files/             证据文件（按 SM3 内容寻址；导出时选择不含文件则无此目录）
  verify.py          离线校验程序（仅需 Python 3 标准库与 OpenSSL）
  rfc9162.py         默克尔树算法（RFC 9162 第 2.1 节，哈希算法 SM3）

校验方法（无需安装 zhifa）：
  tar xf 本文件.tar && python3 zhifa-ledger/verify.py zhifa-ledger
或直接：
  python3 verify.py 本文件.tar --trusted-key 平台公钥.pem --witness-key 见证方公钥.pem
公钥须从监督机关或见证方另行取得：归档内的公钥只能说明“自称”由谁签名。

叶子哈希 = SM3(0x00 || entry 的 UTF-8 字节)，内部节点 = SM3(0x01 || 左 || 右)。
"""


def register_exporter(fn):
    """fn(add_jsonl, add_file, include_files) writes the app's part of the archive."""
    if fn not in _exporters:
        _exporters.append(fn)
    return fn


def export_ledger(path: str | Path, *, include_files: bool = True) -> dict:
    """Write the archive to `path`; returns its manifest."""
    started = time.monotonic()
    sign_tree_head()
    if Witness.objects.filter(active=True).exists():
        witness_latest()  # so that the export is witnessed to its end where the witnesses answer
    head = latest_head()
    size = head.tree_size if head else 0
    root = "zhifa-ledger/"
    counts = {}
    with tarfile.open(path, "w") as tar, tempfile.TemporaryDirectory() as tmp:

        def add_bytes(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(root + name)
            info.size = len(data)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(data))

        def add_jsonl(name: str, rows) -> None:
            spool = Path(tmp) / name.replace("/", "_")
            count = 0
            with open(spool, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(canonical_json(row) + "\n")
                    count += 1
            tar.add(spool, arcname=root + name)
            counts[name] = count

        def add_file(name: str, fileobj, size: int) -> None:
            info = tarfile.TarInfo(root + name)
            info.size = size
            info.mtime = int(time.time())
            tar.addfile(info, fileobj)

        events = LedgerEvent.objects.filter(seq__lt=size).order_by("seq").values_list("seq", "entry", "leaf_hash")
        add_jsonl("events.jsonl", ({"seq": s, "entry": e, "leaf_hash": h} for s, e, h in events.iterator(chunk_size=5000)))
        heads = TreeHead.objects.select_related("key").order_by("tree_size")
        add_jsonl("tree_heads.jsonl", (head_dict(h) for h in heads.filter(tree_size__lte=size).iterator()))
        add_jsonl("cosignatures.jsonl", (c.as_dict() for c in Cosignature.objects.filter(tree_size__lte=size).order_by("tree_size", "id")))
        keys = list(SigningKey.objects.order_by("id"))
        for key in keys:
            add_bytes(f"keys/{key.key_id}.pem", key.public_key_pem.encode())
        for exporter in _exporters:
            exporter(add_jsonl, add_file, include_files, size)
        for module, name in ((offline, "verify.py"), (offline.rfc9162, "rfc9162.py"), (witness, "witness.py")):
            add_bytes(name, Path(module.__file__).read_bytes())
        add_bytes("README.txt", README.encode())
        manifest = {
            "format": offline.FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "tree_size": size,
            "tree_head": head_dict(head) if head else None,
            "origin": settings.ZHIFA_LEDGER_ORIGIN,
            "keys": [k.key_id for k in keys],
            "files_included": include_files,
            "counts": counts,
            "hash": "SM3",
            "signature": "SM2 with SM3, ID 1234567812345678, over RFC 9162 TreeHeadDataV2",
        }
        add_bytes("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    manifest["seconds"] = round(time.monotonic() - started, 3)
    return manifest
