"""Upload size, refused while the body streams in (settings.FILE_UPLOAD_HANDLERS).

Django keeps a file of up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory and streams larger
ones to a temporary file; this handler, first in the chain, refuses (413) a request
whose declared length or whose file is over VIDEO_MAX_BYTES (the largest upload we take,
a video) before it is written anywhere, so a 2 GB upload costs neither memory nor disk.
Django deletes the temporary file of a refused upload when the request ends.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

from redbook.exceptions import TooLarge

# Room for the other fields and the multipart boundaries around a largest file.
_ENVELOPE_BYTES = 1024 * 1024


def _too_large() -> TooLarge:
    mb = settings.VIDEO_MAX_BYTES // (1024 * 1024)
    return TooLarge(_("Uploads are at most %(mb)s MB.") % {"mb": mb}, code="upload_too_large")


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.VIDEO_MAX_BYTES + _ENVELOPE_BYTES:
            raise _too_large()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.VIDEO_MAX_BYTES:
            self._discard_partial_files()
            raise _too_large()
        return raw_data  # the next handler stores it

    def _discard_partial_files(self) -> None:
        """Close (so delete) the file the next handler is writing: Django closes only the
        files it completed when parsing fails, and a temporary one would linger on disk."""
        for handler in self.request.upload_handlers if self.request else ():
            if handler is not self and getattr(handler, "file", None) is not None:
                handler.file.close()

    def file_complete(self, file_size):
        return None  # the next handler makes the file
