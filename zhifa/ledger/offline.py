#!/usr/bin/env python3
"""执法记录账本离线校验程序 (offline verifier for a zhifa ledger export).

Needs only Python 3.9+ built with OpenSSL's SM3 (hashlib.new("sm3")). SM2 signatures are checked
with tongsuopy when it is installed, otherwise with the `openssl` command (OpenSSL ≥ 3).
It trusts nothing in the archive: leaf hashes, roots, every tree head's signature and evidence hashes
are all recomputed. What the archive cannot prove by itself is pinned from outside: the log's public
key (--trusted-key), the witnesses' public keys (--witness-key) and heads kept elsewhere (--checkpoint).

    python3 verify.py zhifa-ledger-2026-11-23.tar --trusted-key 平台公钥.pem --witness-key 见证方公钥.pem

Exit status: 0 intact, 1 problems found, 2 the archive cannot be read.
"""

import argparse
import base64
import datetime
import hashlib
import io
import json
import os
import sys
import tarfile

try:
    from zhifa.ledger import rfc9162, witness
except ImportError:  # running from an unpacked archive
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import rfc9162
    import witness

FORMAT = "zhifa-ledger-export/1"
CHUNK = 1024 * 1024
key_id = witness.key_id
verify_sm2 = witness.sm2_verify
pem_to_der = witness.pem_to_der


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


def _pinned(items, problems) -> dict:
    """Keys given on the command line: PEM files, or (for log keys) bare key ids. {key id: PEM or None}."""
    pinned = {}
    for item in items or ():
        if os.path.exists(item):
            with open(item, encoding="utf-8") as fh:
                pem = fh.read()
            try:
                pinned[key_id(pem)] = pem
            except ValueError:
                problems.append(f"{item} 不是 PEM 公钥文件。")
        else:
            pinned[item.strip().lower()] = None
    return pinned


def entry_time_ms(entry: dict) -> int | None:
    """An entry's recorded time in milliseconds (None when it has none that parses)."""
    try:
        return int(datetime.datetime.fromisoformat(entry["time"]).timestamp() * 1000)
    except (KeyError, TypeError, ValueError):
        return None


def verify_archive(
    path: str, *, trusted_keys=(), witness_keys=(), checkpoints=(), max_unsigned_seconds: int = 60, out=print
) -> list[str]:
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
    pinned = _pinned(trusted_keys, problems)
    for kid, pem in pinned.items():
        if pem:
            keys[kid] = pem
    witness_pins = {k: v for k, v in _pinned(witness_keys, problems).items() if v}

    heads = list(archive.lines("tree_heads.jsonl"))
    heads.sort(key=lambda h: h["tree_size"])
    trusted = set(pinned)
    if not trusted and heads:
        trusted.add(heads[0]["key_id"])
        out("提示：未指定 --trusted-key，以第一个签名树头的公钥为准；请向监督机关索取公钥以发现密钥被整体替换。")
    retired_after: dict[str, int] = {}

    cosigned: dict[int, list] = {}
    points = list(archive.lines("cosignatures.jsonl")) if archive.exists("cosignatures.jsonl") else []
    head_points = []
    for item in checkpoints:
        with open(item, encoding="utf-8") as fh:
            point = json.load(fh)
        (points if "origin" in point else head_points).append(point)
    origin = manifest.get("origin")
    for point in points:
        pem = witness_pins.get(point.get("key_id"))
        if pem is None:
            continue
        if not witness.cosignature_valid(point, pem, origin):
            problems.append(f"见证方“{point.get('witness', '')}”对 {point.get('tree_size')} 条的副署签名无效。")
            continue
        cosigned.setdefault(int(point["tree_size"]), []).append(point)
    latest_witnessed = max(cosigned, default=0)

    frontier = rfc9162.Frontier()
    head_index = 0
    last_checked = -1
    run = None  # (first seq, first time ms, latest time ms) of events not yet covered by a head
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
        if entry.get("kind") == "ledger.key_changed":
            data = entry.get("data") or {}
            old, new = data.get("old_key_id"), data.get("new_key_id")
            if witness.key_change_valid(data, {k: keys[k] for k in trusted if k in keys}):
                trusted.add(new)
                keys.setdefault(new, data["new_public_key_pem"])
                retired_after[old] = seq + 1
            else:
                problems.append(f"第 {seq} 条事件：密钥更换声明没有受信任的原密钥的有效签名。")
        ms = entry_time_ms(entry)
        run = (seq, ms, ms) if run is None else (run[0], run[1], max(run[2] or 0, ms or 0))
        frontier.push(leaf)
        for point in cosigned.pop(frontier.size, ()):
            if point["root_hash"] != frontier.root().hex():
                problems.append(f"见证方“{point.get('witness')}”副署的树头（{frontier.size} 条）与重新计算的根哈希不符：账本被改写。")
        for point in [p for p in head_points if p.get("tree_size") == frontier.size]:
            if point.get("root_hash") != frontier.root().hex():
                problems.append(f"外部保存的树头（{frontier.size} 条）与重新计算的根哈希不符：账本被改写。")
            head_points.remove(point)
        while head_index < len(heads) and heads[head_index]["tree_size"] == frontier.size:
            head = heads[head_index]
            if head["root_hash"] != frontier.root().hex():
                problems.append(
                    f"签名树头（{head['tree_size']} 条）的根哈希与重新计算值不符：第 {last_checked + 1} 至 {head['tree_size'] - 1} 条事件有改动。"
                )
            if run is not None and run[1] is not None and head["timestamp_ms"] - run[1] > max_unsigned_seconds * 1000:
                problems.append(
                    f"第 {run[0]} 至 {head['tree_size'] - 1} 条事件在 {max_unsigned_seconds} 秒内没有签名树头覆盖：签名树头被删除后重新签名。"
                )
            if run is not None and run[2] is not None and head["timestamp_ms"] + 1000 < run[2]:
                problems.append(f"签名树头（{head['tree_size']} 条）的签名时间早于它覆盖的事件。")
            run = None
            last_checked = frontier.size - 1
            head_index += 1
    if frontier.size and not heads:
        problems.append("导出中没有签名树头：任何事件都没有签名保证。")
    if run is not None:
        problems.append(f"第 {run[0]} 至 {frontier.size - 1} 条事件没有签名树头覆盖（树头被删除，或导出被改动）。")
    for head in heads[head_index:]:
        problems.append(f"导出被截断：签名树头记录了 {head['tree_size']} 条事件，文件中只有 {frontier.size} 条。")
    for size in sorted(cosigned):
        problems.append(f"导出被截断：见证方副署的树头记录了 {size} 条事件，文件中只有 {frontier.size} 条。")
    for point in head_points:
        problems.append(f"导出被截断或被改写：外部保存的树头记录了 {point.get('tree_size')} 条事件，文件中只有 {frontier.size} 条。")
    if witness_pins:
        if latest_witnessed < frontier.size:
            problems.append(
                f"第 {latest_witnessed} 至 {frontier.size - 1} 条事件没有经所指定见证方副署：这部分记录不能确认未被改写。"
            )
    else:
        out("提示：未指定 --witness-key；持有平台签名密钥的人可以改写并重新签名，只有见证方副署能发现。")

    latest = manifest.get("tree_head") or {}
    if heads and latest != heads[-1]:
        problems.append("清单中的最新树头与树头列表不一致。")
    if latest and latest.get("tree_size") != frontier.size:
        problems.append(f"清单记载 {latest.get('tree_size')} 条事件，文件中有 {frontier.size} 条。")
    for head in heads:
        if head["key_id"] not in trusted:
            problems.append(f"签名树头（{head['tree_size']} 条）不是由受信任的密钥签名的（密钥被替换）。")
            continue
        if head["tree_size"] > retired_after.get(head["key_id"], head["tree_size"]):
            problems.append(f"签名树头（{head['tree_size']} 条）由已交接的旧密钥签名。")
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
        for name in sorted(set(data) | (set(row) - {"id"})):
            if data.get(name) != row.get(name):
                problems.append(f"证据 {row.get('number')} 的 {name} 与账本记载不符。")
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
    out(
        f"事件 {frontier.size} 条，签名树头 {len(heads)} 个（全部验签），见证至第 {latest_witnessed} 条，"
        f"证据文件 {files} 个（{bytes_read} 字节）。"
    )
    out(f"根哈希（SM3）：{root}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="离线校验 zhifa 执法记录账本导出文件")
    parser.add_argument("archive", help="导出的 .tar 文件，或其解压目录")
    parser.add_argument("--trusted-key", action="append", default=[],
                        help="受信任的账本签名公钥：PEM 文件，或公钥标识（公钥 DER 的 SM3），由监督机关另行提供；可多次指定")
    parser.add_argument("--witness-key", action="append", default=[], help="见证方公钥 PEM 文件；可多次指定")
    parser.add_argument("--checkpoint", action="append", default=[], help="另行保存的树头或见证方副署的树头（JSON）；可多次指定")
    parser.add_argument("--all-signatures", action="store_true", help=argparse.SUPPRESS)  # always done now
    parser.add_argument("--max-unsigned-seconds", type=int, default=60, help="事件须在多少秒内被签名树头覆盖（默认 60）")
    args = parser.parse_args(argv)
    try:
        problems = verify_archive(
            args.archive, trusted_keys=args.trusted_key, witness_keys=args.witness_key,
            checkpoints=args.checkpoint, max_unsigned_seconds=args.max_unsigned_seconds,
        )
    except (OSError, ValueError, KeyError, TypeError, tarfile.TarError) as exc:
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
