"""An upload handler that hashes (SM3 + SHA-256) each chunk as it arrives and spools it to disk.

Nothing is held in memory beyond one chunk, whatever the size of the recording.
"""

import os
import tempfile

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .storage import CHUNK, Hashes, SpooledUpload, temp_dir


class HashingUploadHandler(FileUploadHandler):
    chunk_size = CHUNK

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.hashes = Hashes()
        fd, self.path = tempfile.mkstemp(prefix="zhifa-upload-", dir=temp_dir())
        self.out = os.fdopen(fd, "wb")

    def receive_data_chunk(self, raw_data, start):
        self.hashes.update(raw_data)
        if self.hashes.size > settings.ZHIFA_EVIDENCE_MAX_BYTES:
            self.out.close()
            os.unlink(self.path)
            raise StopUpload(connection_reset=True)
        self.out.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.out.close()
        return SpooledUploadFile(SpooledUpload(self.path, self.hashes, self.file_name, self.content_type or ""))

    def upload_interrupted(self):
        if getattr(self, "out", None) is not None:
            self.out.close()
            if os.path.exists(self.path):
                os.unlink(self.path)


class SpooledUploadFile:
    """What request.FILES holds for a hashed upload; forms see its name and size."""

    def __init__(self, spooled: SpooledUpload):
        self.spooled = spooled
        self.name = spooled.name
        self.size = spooled.hashes.size
        self.content_type = spooled.media_type

    def __bool__(self):
        return True

    def close(self):
        self.spooled.discard()  # no-op once the file has been moved into storage


def use_hashing_uploads(request) -> str | None:
    """Call before the request body is read (the view must be csrf_exempt + csrf_protect inside).

    Returns a Chinese error when the declared body is larger than any evidence file may be;
    the body is then never read.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.ZHIFA_EVIDENCE_MAX_BYTES
    if length > limit + 1024 * 1024:
        return f"文件超过上限（{limit / 1024**3:.1f} GiB），未作任何处理。"
    request.upload_handlers = [HashingUploadHandler(request)]
    return None
