"""Security headers that Django's SecurityMiddleware and django-csp do not set.

The Content-Security-Policy itself comes from django-csp (settings
CONTENT_SECURITY_POLICY). This middleware adds a Permissions-Policy everywhere and
locks down user uploads under MEDIA_URL: only the image types our upload pipeline
writes are served inline; anything else is a download that cannot render as a page,
and every media response carries a sandboxing CSP of its own, so a file that is both
a PNG and HTML can never run script on our origin.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict

# Video: only the MP4 renditions our transcoder writes (posts/videos.py) are stored publicly.
SAFE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "video/mp4"})
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.media_prefix = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(self.media_prefix):
            self.harden_media(response)
        return response

    @staticmethod
    def harden_media(response) -> None:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status_code in (200, 206) and content_type not in SAFE_MEDIA_TYPES:
            response.headers["Content-Type"] = "application/octet-stream"
            response.headers["Content-Disposition"] = "attachment"
        response.headers["Content-Security-Policy"] = MEDIA_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"


class RejectNulBytesMiddleware:
    """NUL bytes never reach the database: a 400 in the path, dropped from the query.

    Postgres text cannot hold NUL, so such a value reaching any lookup (a username in
    the path, `?q=`, `?brand=`) would raise DataError deep inside a view: a 500. In the
    path it is a 400; in query parameters it is removed (`?q=a%00b` reads as `ab`, so a
    query of only NULs is an empty query). Bodies are covered by the form and
    serializer fields, which refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            message = "The request contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid"}, status=400)
            return HttpResponseBadRequest(message)
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
