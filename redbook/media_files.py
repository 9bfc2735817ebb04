"""Media files for the embedded/local mode, with `Range` (Django's static `serve` has none).

Safari will not play an MP4 whose server ignores `Range`, and seeking anywhere means
asking for bytes from the middle: a single range gets 206 with `Content-Range`, an
unsatisfiable one 416, anything else (no header, several ranges) the whole file. Stored
names never change content (images get fresh names, a video's renditions are rewritten
only with the same frames), so responses are cacheable for a year. In production nginx
(or the object store behind a CDN) serves MEDIA_URL itself and answers ranges the same way.
"""

import mimetypes
import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date, parse_http_date_safe

from redbook.media_settings import PUBLIC_CACHE_CONTROL

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024
# What we store, named even where the system has no mime.types (a slim container).
_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of one satisfiable range; None to send everything; False if unsatisfiable."""
    match = _RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]):
        return None  # a multi-range or malformed header: RFC 9110 lets us ignore it
    if not match[1]:  # the last N bytes
        length = int(match[2])
        return (max(0, size - length), size - 1) if length and size else False
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size or last < first:
        return False
    return first, last


class _Slice:
    """A file read from `first` for `length` bytes, in chunks (never all in memory)."""

    def __init__(self, handle, first: int, length: int):
        self.handle, self.left = handle, length
        handle.seek(first)

    def __iter__(self):
        while self.left > 0:
            chunk = self.handle.read(min(_CHUNK, self.left))
            if not chunk:
                break
            self.left -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()


def _headers(response, *, content_type: str, mtime: float) -> HttpResponse:
    response["Content-Type"] = content_type
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response["Last-Modified"] = http_date(mtime)
    return response


def serve_media(request, path: str):
    """GET/HEAD one file under MEDIA_ROOT (read per request: tests swap it)."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
    except (SuspiciousFileOperation, ValueError) as exc:  # outside MEDIA_ROOT
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    stat = full.stat()
    content_type = _TYPES.get(full.suffix.lower()) or mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(stat.st_mtime) <= since and "Range" not in request.headers:
        return _headers(HttpResponseNotModified(), content_type=content_type, mtime=stat.st_mtime)
    wanted = _byte_range(request.headers.get("Range", ""), stat.st_size) if "Range" in request.headers else None
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
        return _headers(response, content_type=content_type, mtime=stat.st_mtime)
    if wanted is None:
        response = FileResponse(full.open("rb"), content_type=content_type)
        return _headers(response, content_type=content_type, mtime=stat.st_mtime)
    first, last = wanted
    response = StreamingHttpResponse(_Slice(full.open("rb"), first, last - first + 1), status=206)
    response["Content-Length"] = str(last - first + 1)
    response["Content-Range"] = f"bytes {first}-{last}/{stat.st_size}"
    return _headers(response, content_type=content_type, mtime=stat.st_mtime)
