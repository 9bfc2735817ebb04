"""A database that is restarting answers 503 (try again), never a 500 (our bug).

`DatabaseUnavailableMiddleware` turns `OperationalError` / `InterfaceError` raised by a
view into a 503 with `Retry-After`: JSON `{"detail", "code"}` under /api/, a short page
elsewhere. `server_error` (the root URLconf's `handler500`) does the same for errors
raised outside views, e.g. by a middleware saving the session. Nothing is half
written: each write is one transaction, rolled back by the failure itself, and the
psycopg pool checks connections before handing them out, so requests recover by
themselves once the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

from redbook.exceptions import server_error_body

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
_PAGE = (
    "<!doctype html><meta charset=utf-8><title>RedBook is catching its breath</title>"
    "<h1>Back in a moment</h1><p>We could not reach our database. Please try again in a few seconds.</p>"
)


def database_unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"detail": "The service is briefly unavailable; please retry.", "code": "service_unavailable"}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(_PAGE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("database unavailable, answering 503 for %s: %s", request.path, exception)
            return database_unavailable_response(request)
        return None


def server_error(request, template_name="500.html"):
    """handler500: a 503 when the uncaught error is the database being away; JSON under /api/."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse(server_error_body(), status=500)
    return django_server_error(request, template_name)
