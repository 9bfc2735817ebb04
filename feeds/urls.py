from django.urls import path  # noqa: F401

app_name = "feeds"

# Browser pages.
urlpatterns: list = []

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns: list = []
