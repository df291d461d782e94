#!/usr/bin/env python3
"""Evidence ingest figures: MB/s of the upload paths beside `openssl dgst -sm3` on the same file.

    .venv/bin/python bench/ingest_bench.py [--mib 1024]

Paths measured on one generated file:
  openssl dgst -sm3 / -sha256       the reference
  HTTP multipart → HashingUploadHandler   SM3 + SHA-256 while spooling to disk (what a browser upload costs)
  zhifa evidence add (SpooledUpload + store)   hash + copy + move into content-addressed storage
  re-hash from storage              what `zhifa ledger verify` spends per file
Prints figures and peak memory; asserts nothing.
"""

import argparse
import hashlib
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label, size, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {size / 2**20 / seconds:8.1f} MiB/s  （{seconds:.2f} 秒）")
    return result


class MultipartBody(io.RawIOBase):
    """The file wrapped as a multipart/form-data body, read straight from disk."""

    def __init__(self, path, boundary):
        self.parts = [
            io.BytesIO(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="执法记录仪.mp4"\r\n'
                       "Content-Type: video/mp4\r\n\r\n".encode()),
            open(path, "rb"),
            io.BytesIO(f"\r\n--{boundary}--\r\n".encode()),
        ]
        self.total = sum(len(p.getvalue()) for p in (self.parts[0], self.parts[2])) + os.path.getsize(path)

    def readable(self):
        return True

    def read(self, n=-1):
        out = b""
        while self.parts and (n < 0 or len(out) < n):
            chunk = self.parts[0].read(-1 if n < 0 else n - len(out))
            if not chunk:
                self.parts.pop(0).close()
                continue
            out += chunk
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhifa-ingest-") as tmp:
        os.environ["ZHIFA_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.http.multipartparser import MultiPartParser
        from django.test import RequestFactory

        from zhifa.evidence import storage
        from zhifa.evidence.uploads import HashingUploadHandler

        settings.FILE_UPLOAD_TEMP_DIR = tmp
        path = Path(tmp) / "recording.bin"
        size = args.mib * 2**20
        with open(path, "wb") as fh:
            for _ in range(args.mib):
                fh.write(os.urandom(2**20))
        print(f"文件 {args.mib} MiB，CPU {os.cpu_count()} 核，{subprocess.run(['openssl', 'version'], capture_output=True, text=True).stdout.strip()}")
        timed("openssl dgst -sm3", size, lambda: subprocess.run(["openssl", "dgst", "-sm3", str(path)], check=True, capture_output=True))
        timed("openssl dgst -sha256", size, lambda: subprocess.run(["openssl", "dgst", "-sha256", str(path)], check=True, capture_output=True))

        def only_sm3():
            h = hashlib.new("sm3")
            with open(path, "rb") as fh:
                while chunk := fh.read(2**20):
                    h.update(chunk)
            return h.hexdigest()

        reference = timed("Python hashlib SM3（仅哈希）", size, only_sm3)

        def http_upload():
            boundary = "zhifabench"
            body = MultipartBody(path, boundary)
            request = RequestFactory().post("/", content_type=f"multipart/form-data; boundary={boundary}")
            meta = {**request.META, "CONTENT_LENGTH": str(body.total), "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}"}
            _, files = MultiPartParser(meta, body, [HashingUploadHandler(request)]).parse()
            return files["file"]

        upload = timed("HTTP 上传（边收边算 SM3+SHA-256 并落盘）", size, http_upload)
        assert upload.spooled.hashes.sm3_hex == reference
        started = time.perf_counter()
        storage.store(upload.spooled)
        print(f"{'  存入内容寻址存储（本地：移动临时文件）':<44} {(time.perf_counter() - started) * 1000:8.1f} ms")

        def cli_ingest():
            with open(path, "rb") as fh:
                spooled = storage.SpooledUpload.from_stream(fh, name="recording.bin")
            storage.store(spooled)  # same bytes as above: found by hash, not stored twice
            return spooled

        spooled = timed("zhifa evidence add（哈希+复制+入库）", size, cli_ingest)
        assert spooled.hashes.sm3_hex == reference

        def rehash():
            with storage.evidence_storage().open(storage.content_key(reference), "rb") as fh:
                return storage.hash_file(fh)

        timed("校验时重算（SM3+SHA-256，自存储读取）", size, rehash)
        print(f"峰值内存：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB（文件 {args.mib} MiB，从未整体载入内存）")


if __name__ == "__main__":
    main()
