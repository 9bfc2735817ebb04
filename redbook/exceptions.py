"""Domain errors raised by services, and the API's error shape.

Services raise `ServiceError` subclasses; the API turns them into
`{"detail": "...", "code": "..."}` with the right 4xx, and pages show the message.
"""

import logging
from functools import wraps

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import bad_request
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("django.request")  # where Django logs the 500s it answers itself


class ServiceError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class Invalid(ServiceError):
    pass


class Forbidden(ServiceError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


class NotFound(ServiceError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(ServiceError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class PaymentDeclined(ServiceError):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    code = "payment_declined"


class TooLarge(ServiceError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "too_large"


class UnsupportedMedia(ServiceError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"


def api_exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):  # else Django's HTML 400 page
        body = {"detail": "The request body is too large.", "code": "too_large"}
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": "The request has too many fields or files.", "code": "too_many_fields"}, status=400)
    if isinstance(exc, DataError | IntegrityError | BadRequest | SuspiciousOperation):
        body, status_code = bad_input_error(exc)
        return Response(body, status=status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data["code"] = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    return response


@csrf_exempt  # it changes nothing; a token client's POST gets the JSON 404, not a CSRF page
def api_not_found(request, *args, **kwargs):
    """Any /api/ path no endpoint matches (`notes/abc/`): the contract's JSON 404, not an
    HTML page. A GET that only lacks its trailing slash is redirected, as APPEND_SLASH would."""
    from django.http import HttpResponsePermanentRedirect, JsonResponse
    from django.urls import Resolver404, resolve

    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found and request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def bad_input_error(exc: Exception) -> tuple[dict, int]:
    """The 4xx body for errors that only bad input causes once services validated it.

    A DataError is a value its column cannot hold (out of range, malformed); an
    IntegrityError a write that collides with a row (a duplicate). Both roll back
    their transaction, so nothing already saved is lost.
    """
    logger.warning("bad input answered with a 4xx: %r", exc)
    if isinstance(exc, IntegrityError):
        return {"detail": _("The request conflicts with data already saved."), "code": "conflict"}, 409
    if isinstance(exc, DataError):
        return {"detail": _("A value in the request is out of range or malformed."), "code": "invalid"}, 400
    return {"detail": _("Bad request."), "code": "bad_request"}, 400


def server_error_body() -> dict:
    return {"detail": _("Server error: we have been told and will look into it."), "code": "server_error"}


class ApiErrorMiddleware:
    """Nothing under /api/ answers HTML, and no DataError is a 500 anywhere.

    An exception a view raised and nothing handled answers JSON `{"detail", "code"}`
    under /api/: a 500 (a real bug, logged as Django logs its own), but a 4xx for the
    errors only bad input causes (`bad_input_error`). Pages answer a DataError with
    the 400 page. Listed just before DatabaseUnavailableMiddleware, which answers an
    unreachable database (503) first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        is_api = request.path.startswith("/api/")
        if isinstance(exception, DataError | IntegrityError) or (
            is_api and isinstance(exception, BadRequest | SuspiciousOperation)
        ):
            body, status_code = bad_input_error(exception)
            return JsonResponse(body, status=status_code) if is_api else bad_request(request, exception)
        if not is_api:
            return None
        if isinstance(exception, Http404):
            return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
        if isinstance(exception, DjangoPermissionDenied):
            return JsonResponse({"detail": _("You may not do this."), "code": "permission_denied"}, status=403)
        request_logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return JsonResponse(server_error_body(), status=500)


def bad_request_handler(request, exception):
    """handler400 (a SuspiciousOperation raised before any view, e.g. an unknown Host): JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse(bad_input_error(exception)[0], status=400)
    return bad_request(request, exception)


def page_errors(view):
    """A page view decorator: 404 for what you may not see (NotFound), 403 for what you may
    not do (Forbidden), as the services raise them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper
