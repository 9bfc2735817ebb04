"""The app's URLs plus views that fail on purpose, for tests/security/test_input_classes.py."""

from django.core.exceptions import SuspiciousOperation
from django.db import DataError, IntegrityError
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from redbook import urls as root


class FailingApiView(APIView):
    permission_classes = (AllowAny,)
    error: Exception = RuntimeError("a bug nobody handled")

    def get(self, request):
        raise self.error


def failing_page(error: Exception):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("api/v1/failing/bug/", FailingApiView.as_view()),
    path("api/v1/failing/data-error/", FailingApiView.as_view(error=DataError("value out of range"))),
    path("api/v1/failing/integrity-error/", FailingApiView.as_view(error=IntegrityError("duplicate key"))),
    path("api/v1/failing/plain-bug/", failing_page(ValueError("a bug in a plain view"))),
    path("api/v1/failing/plain-data-error/", failing_page(DataError("value out of range"))),
    path("failing/data-error/", failing_page(DataError("value out of range"))),
    path("api/v1/failing/suspicious/", failing_page(SuspiciousOperation("a forged something"))),
    *root.urlpatterns,
]
handler500 = root.handler500
handler400 = root.handler400
