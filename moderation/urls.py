from django.urls import path

from moderation import api

app_name = "moderation"

# Browser pages: moderation happens in the Django admin.
urlpatterns: list = []

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("reports/", api.ReportCreateView.as_view(), name="moderation-api-reports"),
]
