"""Uploads are hashed as they stream in: a 64 MiB body never costs more than a few MiB of memory."""

import hashlib
import io
import tracemalloc

from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory

from zhifa.evidence.uploads import HashingUploadHandler, SpooledUploadFile

BOUNDARY = "zhifaboundary"
SIZE = 64 * 1024 * 1024


class GeneratedBody(io.RawIOBase):
    """A multipart body produced on demand, so the test itself holds no copy of it."""

    def __init__(self):
        self.head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"录像.mp4\"\r\n"
                     "Content-Type: video/mp4\r\n\r\n").encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.pos = 0
        self.total = len(self.head) + SIZE + len(self.tail)

    def readable(self):
        return True

    def byte(self, i):
        return (i * 7 + i // 4096) & 0xFF

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.total - self.pos
        out = bytearray()
        while n > 0 and self.pos < self.total:
            if self.pos < len(self.head):
                piece = self.head[self.pos : self.pos + n]
            elif self.pos < len(self.head) + SIZE:
                offset = self.pos - len(self.head)
                length = min(n, SIZE - offset, 1 << 20)
                block = bytes(range(256)) * ((length // 256) + 2)
                start = offset % 256
                piece = block[start : start + length]
            else:
                offset = self.pos - len(self.head) - SIZE
                piece = self.tail[offset : offset + n]
            out += piece
            self.pos += len(piece)
            n -= len(piece)
        return bytes(out)


def expected_hashes():
    sm3, sha = hashlib.new("sm3"), hashlib.sha256()
    block = bytes(range(256)) * 4096  # 1 MiB, and SIZE is a multiple of it
    for _ in range(SIZE // len(block)):
        sm3.update(block)
        sha.update(block)
    return sm3.hexdigest(), sha.hexdigest()


def test_large_upload_is_hashed_in_constant_memory(settings, evidence_dir):
    incoming = evidence_dir / ".incoming"  # spooled beside the store, so the final move is a rename
    body = GeneratedBody()
    request = RequestFactory().post("/", content_type=f"multipart/form-data; boundary={BOUNDARY}")
    meta = {**request.META, "CONTENT_LENGTH": str(body.total), "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}"}
    tracemalloc.start()
    try:
        _, files = MultiPartParser(meta, body, [HashingUploadHandler(request)]).parse()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    upload = files["file"]
    assert isinstance(upload, SpooledUploadFile) and upload.size == SIZE and upload.name == "录像.mp4"
    assert (upload.spooled.hashes.sm3_hex, upload.spooled.hashes.sha256_hex) == expected_hashes()
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert upload.spooled.path.startswith(str(incoming))
    upload.close()
    assert not any(incoming.iterdir())
