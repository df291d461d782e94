#!/usr/bin/env python3
"""执法记录账本离线校验程序 (offline verifier for a zhifa ledger export).

Needs only Python 3.9+ built with OpenSSL's SM3 (hashlib.new("sm3")). SM2 signatures are checked
with tongsuopy when it is installed, otherwise with the `openssl` command (OpenSSL ≥ 3).
It trusts nothing in the archive: leaf hashes, roots and evidence hashes are all recomputed.

    python3 verify.py zhifa-ledger-2026-11-23.tar [--trusted-key KEY_ID] [--all-signatures]

Exit status: 0 intact, 1 problems found, 2 the archive cannot be read.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

try:
    from zhifa.ledger import rfc9162
except ImportError:  # running from an unpacked archive
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import rfc9162

FORMAT = "zhifa-ledger-export/1"
SM2_ID = "1234567812345678"
CHUNK = 1024 * 1024


def pem_to_der(pem: str) -> bytes:
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return base64.b64decode(body)


def key_id(pem: str) -> str:
    return rfc9162.sm3(pem_to_der(pem)).hex()


def verify_sm2(public_pem: str, data: bytes, signature: bytes) -> bool:
    try:
        from tongsuopy.crypto import hashes, serialization
        from tongsuopy.crypto.asymciphers import ec
    except ImportError:
        return _verify_sm2_openssl(public_pem, data, signature)
    key = serialization.load_pem_public_key(public_pem.encode())
    try:
        key.verify(signature, data, ec.ECDSA(hashes.SM3()))
    except Exception:
        return False
    return True


def _verify_sm2_openssl(public_pem: str, data: bytes, signature: bytes) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, content in (("key.pem", public_pem.encode()), ("data", data), ("sig", signature)):
            paths[name] = os.path.join(tmp, name)
            with open(paths[name], "wb") as fh:
                fh.write(content)
        result = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin", "-digest", "sm3",
             "-in", paths["data"], "-sigfile", paths["sig"], "-pkeyopt", f"distid:{SM2_ID}"],
            capture_output=True,
        )
        return result.returncode == 0


class Archive:
    """Reads members from a .tar export or from the directory it was unpacked into."""

    def __init__(self, path: str):
        self.path = path
        self.tar = None if os.path.isdir(path) else tarfile.open(path, "r:*")
        self.prefix = ""
        if self.tar is not None:
            names = [m.name for m in self.tar.getmembers() if m.name.endswith("manifest.json")]
            if not names:
                raise ValueError("归档中没有 manifest.json，不是执法记录账本导出文件。")
            self.prefix = names[0][: -len("manifest.json")]

    def open(self, name: str):
        if self.tar is None:
            return open(os.path.join(self.path, name), "rb")
        member = self.tar.extractfile(self.prefix + name)
        if member is None:
            raise FileNotFoundError(name)
        return member

    def exists(self, name: str) -> bool:
        if self.tar is None:
            return os.path.exists(os.path.join(self.path, name))
        try:
            self.tar.getmember(self.prefix + name)
        except KeyError:
            return False
        return True

    def lines(self, name: str):
        with self.open(name) as fh:
            for raw in io.TextIOWrapper(fh, encoding="utf-8"):
                if raw.strip():
                    yield json.loads(raw)


def verify_archive(path: str, *, trusted_key: str | None = None, all_signatures: bool = False, out=print) -> list[str]:
    """Returns the problems found (Chinese), empty when the export is intact."""
    problems: list[str] = []
    archive = Archive(path)
    with archive.open("manifest.json") as fh:
        manifest = json.load(fh)
    if manifest.get("format") != FORMAT:
        return [f"不支持的导出格式：{manifest.get('format')!r}。"]

    keys = {}
    for kid in manifest.get("keys", []):
        with archive.open(f"keys/{kid}.pem") as fh:
            pem = fh.read().decode()
        if key_id(pem) != kid:
            problems.append(f"公钥文件 keys/{kid}.pem 的内容与其标识不符。")
        keys[kid] = pem
    if trusted_key and trusted_key not in keys:
        problems.append(f"导出文件中没有受信任的公钥 {trusted_key}。")

    heads = list(archive.lines("tree_heads.jsonl"))
    heads.sort(key=lambda h: h["tree_size"])
    frontier = rfc9162.Frontier()
    head_index = 0
    last_checked = -1
    recorded: dict[str, dict] = {}
    for item in archive.lines("events.jsonl"):
        seq = item["seq"]
        if seq != frontier.size:
            problems.append(f"事件序号不连续：第 {frontier.size} 条之后是第 {seq} 条。")
            break
        entry_bytes = item["entry"].encode()
        entry = json.loads(item["entry"])
        leaf = rfc9162.leaf_hash(entry_bytes)
        if entry.get("seq") != seq:
            problems.append(f"第 {seq} 条事件的内容记载序号为 {entry.get('seq')}，顺序被调换。")
        if leaf.hex() != item.get("leaf_hash"):
            problems.append(f"第 {seq} 条事件的内容与其叶子哈希不符。")
        if entry.get("kind") == "evidence.recorded":
            recorded[entry["object"]["id"]] = entry.get("data", {})
        frontier.push(leaf)
        while head_index < len(heads) and heads[head_index]["tree_size"] == frontier.size:
            head = heads[head_index]
            if head["root_hash"] != frontier.root().hex():
                problems.append(
                    f"签名树头（{head['tree_size']} 条）的根哈希与重新计算值不符：第 {last_checked + 1} 至 {head['tree_size'] - 1} 条事件有改动。"
                )
            last_checked = frontier.size - 1
            head_index += 1
    for head in heads[head_index:]:
        problems.append(f"导出被截断：签名树头记录了 {head['tree_size']} 条事件，文件中只有 {frontier.size} 条。")

    latest = manifest.get("tree_head") or {}
    if heads and latest != heads[-1]:
        problems.append("清单中的最新树头与树头列表不一致。")
    if latest and latest.get("tree_size") != frontier.size:
        problems.append(f"清单记载 {latest.get('tree_size')} 条事件，文件中有 {frontier.size} 条。")
    to_check = heads if all_signatures or _has_tongsuopy() else heads[-1:]
    for head in to_check:
        if trusted_key and head["key_id"] != trusted_key:
            problems.append(f"签名树头（{head['tree_size']} 条）不是由受信任的密钥签名的。")
            continue
        pem = keys.get(head["key_id"])
        data = rfc9162.tree_head_data(head["timestamp_ms"], head["tree_size"], bytes.fromhex(head["root_hash"]))
        if pem is None or not verify_sm2(pem, data, base64.b64decode(head["signature"])):
            problems.append(f"签名树头（{head['tree_size']} 条）的 SM2 签名无效。")

    files = bytes_read = 0
    for row in archive.lines("evidence.jsonl"):
        data = recorded.pop(str(row["id"]), None)
        if data is None:
            problems.append(f"证据 {row['number']} 在账本中没有登记记录。")
            continue
        for name in ("number", "sm3", "sha256", "size", "storage_key", "case_number", "captured_at", "collector", "proves"):
            if data.get(name) != row.get(name):
                problems.append(f"证据 {row['number']} 的 {name} 与账本记载不符。")
        if manifest.get("files_included"):
            name = f"files/{data['storage_key']}"
            if not archive.exists(name):
                problems.append(f"证据 {row['number']} 的文件不在导出中。")
                continue
            sm3, sha256, size = hashlib.new("sm3"), hashlib.sha256(), 0
            with archive.open(name) as fh:
                while chunk := fh.read(CHUNK):
                    sm3.update(chunk)
                    sha256.update(chunk)
                    size += len(chunk)
            files += 1
            bytes_read += size
            if (sm3.hexdigest(), sha256.hexdigest(), size) != (data["sm3"], data["sha256"], data["size"]):
                problems.append(f"证据 {row['number']} 的文件内容与账本记载的哈希不符。")
    for object_id, data in recorded.items():
        problems.append(f"账本记载的证据 {data.get('number', object_id)} 不在导出的证据清单中。")

    root = frontier.root().hex()
    out(f"事件 {frontier.size} 条，签名树头 {len(heads)} 个（验签 {len(to_check)} 个），证据文件 {files} 个（{bytes_read} 字节）。")
    out(f"根哈希（SM3）：{root}")
    return problems


def _has_tongsuopy() -> bool:
    try:
        import tongsuopy  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="离线校验 zhifa 执法记录账本导出文件")
    parser.add_argument("archive", help="导出的 .tar 文件，或其解压目录")
    parser.add_argument("--trusted-key", help="受信任的签名公钥标识（公钥 DER 的 SM3），由监督机关另行提供")
    parser.add_argument("--all-signatures", action="store_true", help="逐一验证全部签名树头（无 tongsuopy 时较慢）")
    args = parser.parse_args(argv)
    try:
        problems = verify_archive(args.archive, trusted_key=args.trusted_key, all_signatures=args.all_signatures)
    except (OSError, ValueError, KeyError, tarfile.TarError) as exc:
        print(f"无法读取导出文件：{exc}", file=sys.stderr)
        return 2
    if problems:
        print(f"校验未通过，发现 {len(problems)} 处问题：")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("校验通过：账本完整，未发现改动、删除、截断或调换。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
