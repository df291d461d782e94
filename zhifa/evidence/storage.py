"""Content-addressed evidence storage: a file's key is its SM3 hash, so the same key always
holds the same bytes and a changed byte can never hide behind the old name."""

import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

CHUNK = 1024 * 1024
# SM3 is five times slower than SHA-256 here; it runs beside the request thread (hashlib releases
# the GIL), so an upload costs about one SM3 pass instead of SM3 + SHA-256 + parsing in series.
_sm3_worker = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zhifa-sm3")


def evidence_storage():
    return storages["evidence"]


def content_key(sm3_hex: str) -> str:
    return f"sm3/{sm3_hex[:2]}/{sm3_hex[2:4]}/{sm3_hex}"


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


class SpooledUpload:
    """A stream copied to a temporary file and hashed in the same pass."""

    def __init__(self, path: str, hashes: Hashes, name: str = "", media_type: str = ""):
        self.path, self.hashes, self.name, self.media_type = path, hashes, name, media_type

    @classmethod
    def from_stream(cls, stream, *, name: str = "", media_type: str = "") -> "SpooledUpload":
        hashes = Hashes()
        fd, path = tempfile.mkstemp(prefix="zhifa-evidence-", dir=settings.FILE_UPLOAD_TEMP_DIR)
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


class _MovableFile(File):
    """Lets FileSystemStorage move the temporary file into place instead of copying it."""

    def temporary_file_path(self):
        return self.name


def store(upload: SpooledUpload) -> tuple[str, bool]:
    """Put the file at its content key; returns (key, newly_stored). Never overwrites."""
    storage = evidence_storage()
    key = content_key(upload.hashes.sm3_hex)
    if storage.exists(key):
        upload.discard()
        return key, False
    with open(upload.path, "rb") as fh:
        saved = storage.save(key, _MovableFile(fh, name=upload.path))
    upload.discard()
    if saved != key:  # a concurrent upload of the same bytes won the race; keep one copy
        storage.delete(saved)
        return key, False
    return key, True


class EvidenceFileMissing(Exception):
    """The stored bytes cannot be read: a fault or tampering, for `zhifa ledger verify` to establish."""


def open_blob(key: str):
    try:
        return evidence_storage().open(key, "rb")
    except Exception as exc:  # FileNotFoundError locally, botocore ClientError on S3
        raise EvidenceFileMissing(str(exc)) from exc


def remove(key: str) -> None:
    storage = evidence_storage()
    try:
        os.chmod(storage.path(key), 0o640)  # local files are stored read-only
    except (NotImplementedError, OSError):
        pass
    storage.delete(key)
