#!/usr/bin/env python3
"""执法记录账本见证程序 (a witness for zhifa ledgers), after C2SP tlog-witness and tlog-cosignature.

A witness is kept by someone other than the agency: the supervising 司法局, an auditor, any third
party. It remembers the latest tree head it has seen of each log it watches and countersigns a new
head only when the head is signed by the log's pinned key and a consistency proof shows that the new
tree extends the remembered one. A log that rewrites its history, even with its own stolen key,
cannot get that rewrite countersigned, and anyone holding the witness's public key can tell.

Needs only the Python standard library (3.9+, with OpenSSL's SM3) and the `openssl` command (OpenSSL 3,
for SM2); tongsuopy is used when it is installed. Differences from C2SP: heads are RFC 9162
TreeHeadDataV2 signed with SM2, so requests and answers are JSON rather than signed notes, and
cosignatures are SM2 (SM3 digest, ID 1234567812345678) over the tlog-cosignature/v1 message:

    cosignature/v1
    time <unix seconds>
    <origin>
    <tree size>
    <base64 root hash>

Use:
    python3 witness.py init  --dir 见证目录 --name 嘉兴市司法局见证
    python3 witness.py add-log --dir 见证目录 --origin zhifa.jxyj.gov.cn/ledger --key 平台公钥.pem
    python3 witness.py serve --dir 见证目录 --host 127.0.0.1 --port 8765
    python3 witness.py show  --dir 见证目录
    python3 witness.py pull  --dir 见证目录 --origin zhifa.jxyj.gov.cn/ledger --url https://平台地址   (拉取模式，可放入 cron)

HTTP: POST /add-checkpoint (JSON: origin, old_size, consistency_path, head, key_changes) answers the
cosignature, 409 with the remembered size when old_size is not it, 403 for an unknown log or a bad
signature, 422 when the new head is not consistent with the remembered one. GET /checkpoint?origin=…
answers the latest cosigned head; GET / the witness's name and public key.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

try:
    from zhifa.ledger import rfc9162
except ImportError:  # run as a copied program, beside rfc9162.py
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import rfc9162

SM2_ID = "1234567812345678"
MAX_BODY = 1024 * 1024


# --- the message formats, shared with zhifa and the offline verifier ---------------------------


def cosigned_message(origin: str, tree_size: int, root_hash_hex: str, timestamp: int) -> bytes:
    root = base64.b64encode(bytes.fromhex(root_hash_hex)).decode()
    return f"cosignature/v1\ntime {timestamp}\n{origin}\n{tree_size}\n{root}\n".encode()


def key_transition_statement(old_key_id: str, new_key_id: str, timestamp_ms: int) -> bytes:
    return f"zhifa-key-transition/v1\nold {old_key_id}\nnew {new_key_id}\ntime {timestamp_ms}\n".encode()


def cosignature_valid(point: dict, witness_pem: str, origin: str) -> bool:
    """Whether `point` (origin, tree_size, root_hash, timestamp, signature) is the witness's SM2 signature
    over the cosigned message for this log. Used by zhifa, the offline verifier and nobody else."""
    try:
        message = cosigned_message(origin, int(point["tree_size"]), str(point["root_hash"]), int(point["timestamp"]))
        return point.get("origin") == origin and sm2_verify(witness_pem, message, base64.b64decode(point["signature"]))
    except (KeyError, TypeError, ValueError):
        return False


def key_change_valid(change: dict, trusted: dict) -> bool:
    """Whether a key hand-over (old_key_id, new_key_id, new_public_key_pem, timestamp_ms, signature) names the
    new key truly and is signed by a trusted old key; trusted is {key id: PEM}."""
    try:
        old, new, pem = change["old_key_id"], change["new_key_id"], change["new_public_key_pem"]
        statement = key_transition_statement(old, new, int(change["timestamp_ms"]))
        return old in trusted and key_id(pem) == new and sm2_verify(trusted[old], statement, base64.b64decode(change["signature"]))
    except (KeyError, TypeError, ValueError):
        return False


def pem_to_der(pem: str) -> bytes:
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return base64.b64decode(body)


def key_id(pem: str) -> str:
    return rfc9162.sm3(pem_to_der(pem)).hex()


# --- SM2 through tongsuopy or the openssl command ------------------------------------------------


def _tongsuopy():
    try:
        from tongsuopy.crypto import hashes, serialization
        from tongsuopy.crypto.asymciphers import ec
    except ImportError:
        return None
    return hashes, serialization, ec


def _openssl(args, files: dict) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, content in files.items():
            paths[name] = os.path.join(tmp, name)
            with open(paths[name], "wb") as fh:
                fh.write(content)
        paths["out"] = os.path.join(tmp, "out")
        result = subprocess.run(["openssl", *[a.format(**paths) for a in args]], capture_output=True)
        if os.path.exists(paths["out"]):
            with open(paths["out"], "rb") as fh:
                result.stdout = fh.read()
        return result


def sm2_verify(public_pem: str, data: bytes, signature: bytes) -> bool:
    lib = _tongsuopy()
    if lib is not None:
        hashes, serialization, ec = lib
        try:
            serialization.load_pem_public_key(public_pem.encode()).verify(signature, data, ec.ECDSA(hashes.SM3()))
        except Exception:
            return False
        return True
    result = _openssl(
        ["pkeyutl", "-verify", "-pubin", "-inkey", "{key}", "-rawin", "-digest", "sm3", "-in", "{data}",
         "-sigfile", "{sig}", "-pkeyopt", f"distid:{SM2_ID}"],
        {"key": public_pem.encode(), "data": data, "sig": signature},
    )
    return result.returncode == 0


def sm2_sign(private_pem_path: str, data: bytes) -> bytes:
    lib = _tongsuopy()
    with open(private_pem_path, "rb") as fh:
        pem = fh.read()
    if lib is not None:
        hashes, serialization, ec = lib
        return serialization.load_pem_private_key(pem, password=None).sign(data, ec.ECDSA(hashes.SM3()))
    result = _openssl(
        ["pkeyutl", "-sign", "-inkey", "{key}", "-rawin", "-digest", "sm3", "-in", "{data}", "-out", "{out}",
         "-pkeyopt", f"distid:{SM2_ID}"],
        {"key": pem, "data": data},
    )
    if result.returncode:
        raise RuntimeError(f"openssl 签名失败：{result.stderr.decode(errors='replace')}")
    return result.stdout


def _generate_key(path: str) -> str:
    lib = _tongsuopy()
    if lib is not None:
        _, serialization, ec = lib
        key = ec.generate_private_key(ec.SM2())
        private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    else:
        made = _openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", "{out}"], {})
        private = made.stdout
        public = _openssl(["pkey", "-in", "{key}", "-pubout", "-out", "{out}"], {"key": private}).stdout
    _write(path, private, mode=0o600)
    return public.decode()


def _write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Atomically: a crash leaves the old file or the new one, never half of either."""
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- the witness ---------------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


class Witness:
    """State on disk: key.pem (0600), key.pub.pem, config.json (name, logs and their pinned keys), state.json."""

    def __init__(self, directory: str):
        self.dir = directory
        self.lock = threading.Lock()
        with open(self._path("config.json"), encoding="utf-8") as fh:
            self.config = json.load(fh)
        with open(self._path("key.pub.pem"), encoding="utf-8") as fh:
            self.public_pem = fh.read()
        self.key_id = key_id(self.public_pem)

    def _path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    @classmethod
    def init(cls, directory: str, name: str) -> "Witness":
        os.makedirs(directory, exist_ok=True)
        if os.path.exists(os.path.join(directory, "key.pem")):
            raise SystemExit(f"{directory} 已经是见证目录。")
        public = _generate_key(os.path.join(directory, "key.pem"))
        _write(os.path.join(directory, "key.pub.pem"), public.encode())
        _write(os.path.join(directory, "config.json"), json.dumps({"name": name, "logs": {}}, ensure_ascii=False, indent=2).encode())
        _write(os.path.join(directory, "state.json"), b"{}")
        return cls(directory)

    def add_log(self, origin: str, public_pem: str) -> None:
        key_id(public_pem)  # must parse
        with self.lock:
            logs = self.config.setdefault("logs", {})
            keys = logs.setdefault(origin, {"keys": []})["keys"]
            if public_pem not in keys:
                keys.append(public_pem)
            _write(self._path("config.json"), json.dumps(self.config, ensure_ascii=False, indent=2).encode())

    def state(self) -> dict:
        with open(self._path("state.json"), encoding="utf-8") as fh:
            return json.load(fh)

    def checkpoint(self, origin: str) -> dict | None:
        return self.state().get(origin)

    def add_checkpoint(self, request: dict) -> dict:
        """Check a new head against the remembered one; remember it and countersign it, or refuse."""
        try:
            origin = str(request["origin"])
            old_size = int(request["old_size"])
            path = [bytes.fromhex(h) for h in request.get("consistency_path") or []]
            head = request["head"]
            size, ts = int(head["tree_size"]), int(head["timestamp_ms"])
            root_hex = str(head["root_hash"]).lower()
            root = bytes.fromhex(root_hex)
            signature = base64.b64decode(head["signature"], validate=True)
        except (KeyError, TypeError, ValueError) as exc:
            raise Refused(400, f"请求格式不正确：{exc}")
        if size <= 0 or len(root) != rfc9162.HASH_SIZE:
            raise Refused(400, "树头的大小或根哈希不正确。")
        with self.lock:
            log = self.config.get("logs", {}).get(origin)
            if log is None:
                raise Refused(403, f"本见证方不见证账本 {origin}。")
            keys = {key_id(pem): pem for pem in log["keys"]}
            changed = self._accept_key_changes(origin, keys, request.get("key_changes") or [])
            pem = keys.get(str(head.get("key_id", "")))
            data = rfc9162.tree_head_data(ts, size, root)
            if pem is None or not sm2_verify(pem, data, signature):
                raise Refused(403, "树头签名无效，或不是由本见证方固定的账本公钥签名的。")
            state = self.state()
            known = state.get(origin)
            known_size = known["tree_size"] if known else 0
            if old_size != known_size:
                raise Refused(409, f"本见证方记录的树大小为 {known_size}。", tree_size=known_size)
            if known:
                if size < known_size:
                    raise Refused(409, "新树头小于已见证的树头。", tree_size=known_size)
                if ts < known["timestamp_ms"]:
                    raise Refused(422, "新树头的时间早于已见证的树头。")
                if size == known_size and root_hex != known["root_hash"]:
                    raise Refused(422, "同一大小的树出现了两个不同的根哈希：账本被改写（分叉）。")
                if size > known_size and not rfc9162.verify_consistency(
                    known_size, size, bytes.fromhex(known["root_hash"]), root, path
                ):
                    raise Refused(422, "一致性证明不成立：新树不是已见证树的延续，账本被改写。")
            now = int(time.time())
            cosig = base64.b64encode(sm2_sign(self._path("key.pem"), cosigned_message(origin, size, root_hex, now))).decode()
            entry = {
                "origin": origin, "tree_size": size, "root_hash": root_hex, "timestamp_ms": ts,
                "witness": self.config["name"], "key_id": self.key_id, "timestamp": now, "signature": cosig,
            }
            state[origin] = entry
            if changed:
                _write(self._path("config.json"), json.dumps(self.config, ensure_ascii=False, indent=2).encode())
            _write(self._path("state.json"), json.dumps(state, ensure_ascii=False, indent=2).encode())
            return entry

    def _accept_key_changes(self, origin: str, keys: dict, changes: list) -> bool:
        """A new log key is pinned when a key it already trusts signed the hand-over."""
        changed = False
        for change in changes:
            try:
                new, pem = change["new_key_id"], change["new_public_key_pem"]
                int(change["timestamp_ms"])
                base64.b64decode(change["signature"], validate=True)
            except (KeyError, TypeError, ValueError):
                raise Refused(400, "密钥更换声明格式不正确。")
            if new in keys:
                continue
            if not key_change_valid(change, keys):
                raise Refused(403, "密钥更换声明不是由已固定的账本公钥签名的。")
            keys[new] = pem
            self.config["logs"][origin]["keys"].append(pem)
            changed = True
        return changed


def http_json(url: str, body: dict | None = None, timeout: float = 20.0) -> tuple[int, dict]:
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    data = json.dumps(body).encode() if body is not None else None
    request = Request(url, data=data, headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except HTTPError as exc:
        try:
            return exc.code, json.load(exc)
        except ValueError:
            return exc.code, {"detail": str(exc)}


def pull(witness: Witness, origin: str, base_url: str) -> dict:
    """The pulling witness: fetch the log's latest signed head and a consistency proof from the head this
    witness remembers, check and countersign it (as add-checkpoint does), and hand the cosignature back
    to the log (POST /api/v1/ledger/cosignatures/). Raises Refused when the head cannot be countersigned."""
    base = base_url.rstrip("/")
    status, head = http_json(f"{base}/api/v1/ledger/tree-head/")
    if status != 200:
        raise Refused(502, f"无法取回树头（{status}）：{head.get('detail', '')}")
    known = witness.checkpoint(origin)
    old = known["tree_size"] if known else 0
    path = []
    if 0 < old < int(head["tree_size"]):
        status, proof = http_json(f"{base}/api/v1/ledger/consistency/?first={old}&second={int(head['tree_size'])}")
        if status != 200:
            raise Refused(502, f"无法取回一致性证明（{status}）：{proof.get('detail', '')}")
        path = proof["consistency_path"]
    entry = witness.add_checkpoint({"origin": origin, "old_size": old, "consistency_path": path, "head": head})
    status, answer = http_json(f"{base}/api/v1/ledger/cosignatures/", entry)
    if status not in (200, 201):
        raise Refused(502, f"平台未接收副署（{status}）：{answer}")
    return entry


def serve(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/":
                return self._send(200, {"name": witness.config["name"], "key_id": witness.key_id, "public_key_pem": witness.public_pem})
            if url.path == "/checkpoint":
                origin = (parse_qs(url.query).get("origin") or [""])[0]
                point = witness.checkpoint(origin)
                return self._send(200, point) if point else self._send(404, {"detail": "尚未见证该账本。"})
            self._send(404, {"detail": "没有这个地址。"})

        def do_POST(self):
            if urlparse(self.path).path != "/add-checkpoint":
                return self._send(404, {"detail": "没有这个地址。"})
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY:
                return self._send(400, {"detail": "请求体为空或过大。"})
            try:
                request = json.loads(self.rfile.read(length))
                if not isinstance(request, dict):
                    raise ValueError("不是 JSON 对象")
                self._send(200, witness.add_checkpoint(request))
            except Refused as exc:
                self._send(exc.status, {"detail": exc.message, **exc.extra})
            except (ValueError, RecursionError) as exc:
                self._send(400, {"detail": f"请求不是有效的 JSON：{exc}"})

        def log_message(self, format, *args):  # quiet; the state file is the record
            pass

    return ThreadingHTTPServer((host, port), Handler)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="zhifa 执法记录账本见证程序")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("init", help="新建见证目录与见证密钥")
    p.add_argument("--dir", required=True)
    p.add_argument("--name", required=True, help="见证方名称，如“嘉兴市司法局见证”")
    p = sub.add_parser("add-log", help="固定一个被见证账本的名称与签名公钥")
    p.add_argument("--dir", required=True)
    p.add_argument("--origin", required=True)
    p.add_argument("--key", required=True, help="账本签名公钥 PEM 文件（GET /api/v1/ledger/keys/）")
    p = sub.add_parser("serve", help="提供见证服务")
    p.add_argument("--dir", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p = sub.add_parser("show", help="显示见证方公钥与已见证的树头")
    p.add_argument("--dir", required=True)
    p = sub.add_parser("pull", help="拉取模式：从平台取回最新树头与一致性证明，核对、副署并交回平台（可放入定时任务）")
    p.add_argument("--dir", required=True)
    p.add_argument("--origin", required=True)
    p.add_argument("--url", required=True, help="平台地址，如 https://zhifa.jxyj.gov.cn")
    args = parser.parse_args(argv)
    if args.action == "init":
        witness = Witness.init(args.dir, args.name)
        print(f"见证方“{args.name}”已建立，公钥标识 {witness.key_id}。把下面的公钥交给平台和核验者：")
        print(witness.public_pem)
        return 0
    witness = Witness(args.dir)
    if args.action == "add-log":
        with open(args.key, encoding="utf-8") as fh:
            witness.add_log(args.origin, fh.read())
        print(f"已固定账本 {args.origin} 的签名公钥。")
    elif args.action == "pull":
        try:
            entry = pull(witness, args.origin, args.url)
        except Refused as exc:
            print(f"拒绝副署：{exc.message}", file=sys.stderr)
            return 1
        except (OSError, ValueError, KeyError) as exc:
            print(f"无法连接平台：{exc}", file=sys.stderr)
            return 2
        print(f"已副署 {args.origin} 的 {entry['tree_size']} 条树头并交回平台。")
    elif args.action == "show":
        print(json.dumps({"name": witness.config["name"], "key_id": witness.key_id, "public_key_pem": witness.public_pem,
                          "checkpoints": witness.state()}, ensure_ascii=False, indent=2))
    else:
        server = serve(witness, args.host, args.port)
        print(f"见证服务运行于 http://{args.host}:{server.server_address[1]}/（Ctrl+C 停止）", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
