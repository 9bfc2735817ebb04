from django.urls import path

from search import api, views

app_name = "search"

# Browser pages.
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/recent/clear/", views.recent_clear, name="recent-clear"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("search/", api.SearchView.as_view(), name="api-search"),
    path("search/suggest/", api.SuggestView.as_view(), name="api-search-suggest"),
    path("search/recent/", api.RecentSearchesView.as_view(), name="api-search-recent"),
    path("search/tags/", api.TagSuggestView.as_view(), name="api-search-tags"),
]
