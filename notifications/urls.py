from django.urls import path

from notifications import api, views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications_page, name="page"),
    path("notifications/read/", views.notifications_read, name="read"),
]

# Mounted under /api/v1/ by redbook/urls.py (no namespace, as the other apps' API routes).
api_urlpatterns = [
    path("notifications/", api.NotificationsView.as_view(), name="api-notifications"),
    path("notifications/read/", api.NotificationsReadView.as_view(), name="api-notifications-read"),
]
