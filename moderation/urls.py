from django.urls import path

from moderation import api, views

app_name = "moderation"

# Browser pages (moderators work in the Django admin).
urlpatterns = [
    path("report/<str:target_type>/<str:target_id>/", views.report_page, name="report"),
    path("notes/<int:note_id>/appeal/", views.appeal_page, name="appeal"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("reports/", api.ReportCreateView.as_view(), name="moderation-api-reports"),
    path("notes/<str:note_id>/appeal/", api.AppealCreateView.as_view(), name="moderation-api-appeal"),
]
