"""The partner API (API.md "Partners"): a product's community notes by GTIN, per API key.

Partners call it from their servers or from their pages' scripts, so it answers CORS
itself: only the calling partner's own origins are allowed to read the response, and a
preflight (which carries no key) is allowed for the origins of active partners.
"""

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.views import APIView

from partners import counters, selectors, services
from redbook.throttling import RateThrottle

API_KEY_HEADER = "X-Api-Key"
CACHE_CONTROL = "private, max-age=60"  # per key: shared caches must not hand it to another partner
PREFLIGHT_MAX_AGE = "600"


class PartnerThrottle(RateThrottle):
    """The partner's own rate (Partner.rate_per_minute), counted per partner, not per address."""

    scope = "partner"
    methods = frozenset({"GET", "HEAD"})
    fail_open = True  # reads of public notes: a Redis outage must not take partners' pages down

    def __init__(self, partner):
        super().__init__()
        self.partner = partner

    def get_rate(self) -> tuple[int, int]:
        return self.partner.rate_per_minute, 60

    def get_ident_part(self, request, view) -> str:
        return f"p{self.partner.pk}"


def _cors(response, request, *, allowed: bool) -> None:
    patch_vary_headers(response, ("Origin",))
    origin = request.headers.get("Origin")
    if origin and allowed:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"


def _etag_matches(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return sent.strip() == "*" or etag in {tag.strip().removeprefix("W/") for tag in sent.split(",")}


class PartnerProductNotesView(APIView):
    authentication_classes = ()  # the key below, never a session or a user token
    permission_classes = (permissions.AllowAny,)
    throttle_classes = ()

    partner = None

    def get_authenticate_header(self, request):
        return 'X-Api-Key realm="partner"'  # so DRF answers a missing key with 401, not 403

    @extend_schema(
        parameters=[OpenApiParameter(API_KEY_HEADER, str, OpenApiParameter.HEADER, required=True)],
        responses={200: OpenApiTypes.OBJECT, 304: None, 401: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        description="A product's summary and its best community notes, by any GTIN of the product or a variant.",
    )
    def get(self, request, gtin):
        self.partner = services.partner_authenticate(request.headers.get(API_KEY_HEADER))
        if self.partner is None:
            raise exceptions.NotAuthenticated(_("Send a valid partner key in the X-Api-Key header."))
        throttle = PartnerThrottle(self.partner)
        if not throttle.allow_request(request, self):
            raise exceptions.Throttled(wait=throttle.wait())
        cached = selectors.cached_notes_body(
            gtin=gtin, partner=self.partner, absolute=request.build_absolute_uri, host=request.get_host()
        )
        if _etag_matches(request, cached.etag):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(cached.content, content_type="application/json")
        response["ETag"] = cached.etag
        response["Cache-Control"] = CACHE_CONTROL
        return response

    def options(self, request, *args, **kwargs):
        """A CORS preflight: no key yet, so any active partner's origin may go on."""
        response = HttpResponse(status=204)
        origin = request.headers.get("Origin", "")
        allowed = bool(origin) and selectors.origin_of_any_partner(origin)
        _cors(response, request, allowed=allowed)
        if allowed:
            response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = f"{API_KEY_HEADER}, If-None-Match"
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "OPTIONS":
            return response
        partner = self.partner
        origin = request.headers.get("Origin")
        allowed = (
            partner is not None and bool(origin) and selectors.origin_allowed(partner_id=partner.pk, origin=origin)
        )
        _cors(response, request, allowed=allowed)
        if partner is not None:
            counters.count(partner_id=partner.pk, kind="calls")
            if 400 <= response.status_code < 500:
                counters.count(partner_id=partner.pk, kind="client_errors")
        return response
