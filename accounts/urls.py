from django.urls import path

from accounts import api, views

app_name = "accounts"

# Browser pages.
urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/profile/edit/", views.profile_edit, name="profile-edit"),
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/followers/", views.followers, name="followers"),
    path("u/<str:username>/following/", views.following, name="following"),
    path("u/<str:username>/follow/", views.follow_toggle, name="follow"),
    path("u/<str:username>/block/", views.block_toggle, name="block"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="accounts-api-register"),
    path("auth/token/", api.TokenView.as_view(), name="accounts-api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="accounts-api-logout"),
    path("me/", api.MeView.as_view(), name="accounts-api-me"),
    path("users/<str:username>/", api.UserDetailView.as_view(), name="accounts-api-user"),
    path("users/<str:username>/follow/", api.FollowView.as_view(), name="accounts-api-follow"),
    path("users/<str:username>/followers/", api.FollowersView.as_view(), name="accounts-api-followers"),
    path("users/<str:username>/following/", api.FollowingView.as_view(), name="accounts-api-following"),
    path("users/<str:username>/block/", api.BlockView.as_view(), name="accounts-api-block"),
]
