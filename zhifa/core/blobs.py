"""One content-addressed blob store for every app: a file's key is its SM3 hash, so a key always names the
same bytes and a changed byte cannot hide behind the old name.

Evidence files (streamed, hashed while they arrive), document PDFs and annual-report PDFs are all written
here, each app to its own Django storage alias ("evidence", "documents"), local files or S3 alike.
An existing file at a key is trusted only after its hash is checked; local files are fsynced and renamed
into place, so a crash leaves the old state or the new and never a half-written file at a content key.
"""

import hashlib
import io
import os
import tempfile

from django.core.files import File
from django.core.files.storage import storages

CHUNK = 1024 * 1024


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    def __init__(self, alias: str):
        self.alias = alias

    @property
    def storage(self):
        return storages[self.alias]

    @staticmethod
    def key(digest: str, suffix: str = "") -> str:
        return f"sm3/{digest[:2]}/{digest[2:4]}/{digest}{suffix}"

    def local_root(self) -> str | None:
        """The directory when the store is kept in local files (None on S3)."""
        try:
            return self.storage.path("")
        except NotImplementedError:
            return None

    def intact(self, key: str, digest: str) -> bool:
        """Whether the bytes at `key` really are the content the key names."""
        try:
            with self.storage.open(key, "rb") as fh:
                h = hashlib.new("sm3")
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
                return h.hexdigest() == digest
        except Exception:
            return False

    def put_bytes(self, data: bytes, *, suffix: str = "") -> tuple[str, str, bool]:
        """Store small content held in memory; returns (key, SM3 hex, newly_stored)."""
        digest = sm3_hex(data)
        fd, path = tempfile.mkstemp(prefix="zhifa-blob-", dir=self.staging_dir())
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        key, newly = self.put_file(path, digest, suffix=suffix)
        return key, digest, newly

    def staging_dir(self) -> str | None:
        """Where files wait before they are renamed into place: inside the store for local files (one
        filesystem, so the rename is atomic), the system temporary directory for S3."""
        root = self.local_root()
        if root is None:
            return None
        path = os.path.join(root, ".incoming")
        os.makedirs(path, exist_ok=True)
        return path

    def put_file(self, path: str, digest: str, *, suffix: str = "") -> tuple[str, bool]:
        """Move the file at `path` (whose SM3 is `digest`) to its content key; returns (key, newly_stored).
        The file at `path` is consumed either way."""
        storage = self.storage
        key = self.key(digest, suffix)
        try:
            if storage.exists(key):
                if self.intact(key, digest):
                    return key, False
                self.remove(key)  # damaged: write the good bytes in its place
            root = self.local_root()
            if root is None:  # S3: boto3's upload is a multipart upload that appears whole or not at all
                with open(path, "rb") as fh:
                    saved = storage.save(key, File(fh, name=key))
                if saved != key:
                    storage.delete(saved)
                    return key, False
                return key, True
            target = storage.path(key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
            mode = storage.file_permissions_mode
            if os.path.dirname(os.path.abspath(path)) != os.path.abspath(self.staging_dir()):
                # written elsewhere (another filesystem): copy into the store's staging directory first, then rename
                fd, staged = tempfile.mkstemp(prefix="zhifa-blob-", dir=self.staging_dir())
                with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                    while chunk := src.read(CHUNK):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.unlink(path)
                path = staged
            if mode is not None:
                os.chmod(path, mode)
            os.replace(path, target)  # same bytes as any concurrent writer's, so the last rename is as good
            path = ""
            _fsync_dir(os.path.dirname(target))
            return key, True
        finally:
            if path and os.path.exists(path):
                os.unlink(path)

    def open(self, key: str):
        return self.storage.open(key, "rb") if key else io.BytesIO(b"")

    def remove(self, key: str) -> None:
        storage = self.storage
        try:
            os.chmod(storage.path(key), 0o640)  # local files may be stored read-only
        except (NotImplementedError, OSError):
            pass
        storage.delete(key)

    def keys(self):
        """Every content key present in the store."""
        storage = self.storage
        root = self.local_root()
        if root is not None:
            for dirpath, _dirs, files in os.walk(os.path.join(root, "sm3")):
                for name in files:
                    yield os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            return
        try:
            top = storage.listdir("sm3")[0]
        except Exception:
            return
        for a in top:
            for b in storage.listdir(f"sm3/{a}")[0]:
                for name in storage.listdir(f"sm3/{a}/{b}")[1]:
                    yield f"sm3/{a}/{b}/{name}"
