from django.urls import path

from feeds import api, views

app_name = "feeds"

# Browser pages.
urlpatterns = [
    path("", views.explore, name="explore"),
    path("follow/", views.follow, name="follow"),
    path("nearby/", views.nearby, name="nearby"),
    path("settings/feeds/", views.feed_settings, name="settings"),
    path("tags/<tag:name>/follow/", views.topic_follow_toggle, name="topic-follow"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("feeds/follow/", api.FollowFeedView.as_view(), name="api-follow"),
    path("feeds/explore/", api.ExploreFeedView.as_view(), name="api-explore"),
    path("feeds/channels/", api.ChannelsView.as_view(), name="api-channels"),
    path("feeds/nearby/", api.NearbyFeedView.as_view(), name="api-nearby"),
    path("feeds/not-interested/", api.NotInterestedView.as_view(), name="api-not-interested"),
    path("feeds/muted-keywords/", api.MutedKeywordsView.as_view(), name="api-muted-keywords"),
    path("feeds/muted-keywords/<int:keyword_id>/", api.MutedKeywordDetailView.as_view(), name="api-muted-keyword"),
    path("tags/<tag:name>/follow/", api.TopicFollowView.as_view(), name="api-topic-follow"),
]
