"""Evidence files: streamed to a spool file and hashed (SM3 and SHA-256) as they arrive, then kept in the
content-addressed blob store of core (zhifa.core.blobs) under the "evidence" storage."""

import hashlib
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from zhifa.core.blobs import BlobStore

CHUNK = 1024 * 1024
# SM3 is five times slower than SHA-256 here; it runs beside the request thread (hashlib releases
# the GIL), so an upload costs about one SM3 pass instead of SM3 + SHA-256 + parsing in series.
_sm3_worker = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zhifa-sm3")


blobs = BlobStore("evidence")


def evidence_storage():
    return blobs.storage


def content_key(sm3_hex: str) -> str:
    return blobs.key(sm3_hex)


class Hashes:
    """SM3 and SHA-256 of a stream, fed chunk by chunk as it arrives."""

    def __init__(self):
        self._sm3 = hashlib.new("sm3")
        self.sha256 = hashlib.sha256()
        self.size = 0
        self._pending = None

    def update(self, chunk: bytes) -> None:
        chunk = bytes(chunk)
        self._wait()
        self._pending = _sm3_worker.submit(self._sm3.update, chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)

    def _wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    @property
    def sm3(self):
        self._wait()
        return self._sm3

    @property
    def sm3_hex(self) -> str:
        return self.sm3.hexdigest()

    @property
    def sha256_hex(self) -> str:
        return self.sha256.hexdigest()


def hash_file(fileobj) -> Hashes:
    hashes = Hashes()
    while chunk := fileobj.read(CHUNK):
        hashes.update(chunk)
    return hashes


TEMP_DIR_NAME = ".incoming"  # BlobStore.staging_dir
ORPHAN_AGE_SECONDS = 3600  # an unfinished upload or an unrecorded file older than this is left over from a crash


def _local_root(storage=None) -> str | None:
    """The evidence directory when evidence is kept in local files (None on S3)."""
    return blobs.local_root()


def temp_dir() -> str | None:
    """Where uploads are spooled while hashed: inside the evidence directory itself for local files,
    so the final move is a rename on one filesystem (a crash leaves the old state or the new, never a
    half-written file at a content address); the configured temporary directory for S3."""
    if blobs.local_root() is None:
        return settings.FILE_UPLOAD_TEMP_DIR
    return blobs.staging_dir()


class SpooledUpload:
    """A stream copied to a temporary file and hashed in the same pass."""

    def __init__(self, path: str, hashes: Hashes, name: str = "", media_type: str = ""):
        self.path, self.hashes, self.name, self.media_type = path, hashes, name, media_type

    @classmethod
    def from_stream(cls, stream, *, name: str = "", media_type: str = "") -> "SpooledUpload":
        hashes = Hashes()
        fd, path = tempfile.mkstemp(prefix="zhifa-evidence-", dir=temp_dir())
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    hashes.update(chunk)
                    out.write(chunk)
        except BaseException:
            os.unlink(path)
            raise
        return cls(path, hashes, name, media_type)

    def discard(self) -> None:
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


def store(upload: SpooledUpload) -> tuple[str, bool]:
    """Put the file at its content key; returns (key, newly_stored). The spool file is consumed."""
    path, upload.path = upload.path, ""
    return blobs.put_file(path, upload.hashes.sm3_hex)


class EvidenceFileMissing(Exception):
    """The stored bytes cannot be read: a fault or tampering, for `zhifa ledger verify` to establish."""


def open_blob(key: str):
    try:
        return evidence_storage().open(key, "rb")
    except Exception as exc:  # FileNotFoundError locally, botocore ClientError on S3
        raise EvidenceFileMissing(str(exc)) from exc


def remove(key: str) -> None:
    blobs.remove(key)


def stored_keys():
    """Every content key present in the evidence store."""
    return blobs.keys()


def _age(storage, key: str) -> float:
    try:
        return time.time() - storage.get_modified_time(key).timestamp()
    except Exception:
        return 0.0


def orphans(recorded: set[str]) -> dict[str, list[str]]:
    """Left-overs of crashes: unfinished uploads and stored files that no evidence row names."""
    storage = evidence_storage()
    found = {"incoming": [], "unrecorded": []}
    root = _local_root(storage)
    if root is not None and os.path.isdir(os.path.join(root, TEMP_DIR_NAME)):
        for name in sorted(os.listdir(os.path.join(root, TEMP_DIR_NAME))):
            found["incoming"].append(f"{TEMP_DIR_NAME}/{name}")
    for key in stored_keys():
        if key not in recorded:
            found["unrecorded"].append(key)
    return found


def sweep(recorded: set[str], *, remove_files: bool, min_age: float = ORPHAN_AGE_SECONDS) -> dict[str, list[str]]:
    """Report the orphans and (remove_files) delete those older than min_age, so an upload under way is spared."""
    storage = evidence_storage()
    found = orphans(recorded)
    removed = []
    if remove_files:
        for key in found["incoming"] + found["unrecorded"]:
            if _age(storage, key) >= min_age:
                remove(key)
                removed.append(key)
    found["removed"] = removed
    return found
