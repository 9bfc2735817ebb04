from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import api, views
from redbook.throttling import (
    FollowThrottle,
    LoginIPThrottle,
    LoginThrottle,
    PasswordChangeThrottle,
    PasswordResetThrottle,
    SignupThrottle,
    rate_limit,
)

app_name = "accounts"

# Browser pages.
urlpatterns = [
    path("accounts/signup/", rate_limit(SignupThrottle)(views.signup), name="signup"),
    path("accounts/login/", rate_limit(LoginIPThrottle)(rate_limit(LoginThrottle)(views.login_view)), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    # Password reset: Django's views, which answer the same whether or not the email is known.
    path(
        "accounts/password-reset/",
        rate_limit(PasswordResetThrottle)(
            auth_views.PasswordResetView.as_view(
                email_template_name="registration/password_reset_email.txt",
                success_url=reverse_lazy("accounts:password-reset-done"),
            )
        ),
        name="password-reset",
    ),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password-reset-complete")),
        name="password-reset-confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("accounts/profile/edit/", views.profile_edit, name="profile-edit"),
    # Guessing the current password here is a login attempt: limited per account and per address.
    path(
        "accounts/password/",
        rate_limit(LoginIPThrottle)(rate_limit(PasswordChangeThrottle)(views.password_change)),
        name="password-change",
    ),
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/followers/", views.followers, name="followers"),
    path("u/<str:username>/following/", views.following, name="following"),
    path("u/<str:username>/follow/", rate_limit(FollowThrottle)(views.follow_toggle), name="follow"),
    path("u/<str:username>/block/", views.block_toggle, name="block"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="accounts-api-register"),
    path("auth/token/", api.TokenView.as_view(), name="accounts-api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="accounts-api-logout"),
    path("me/", api.MeView.as_view(), name="accounts-api-me"),
    path("me/password/", api.MePasswordView.as_view(), name="accounts-api-password"),
    path("me/tokens/", api.MeTokensView.as_view(), name="accounts-api-tokens"),
    path("me/tokens/<int:token_id>/", api.MeTokenView.as_view(), name="accounts-api-token-detail"),
    path("mentions/", api.MentionSuggestView.as_view(), name="accounts-api-mentions"),
    path("users/<str:username>/", api.UserDetailView.as_view(), name="accounts-api-user"),
    path("users/<str:username>/follow/", api.FollowView.as_view(), name="accounts-api-follow"),
    path("users/<str:username>/followers/", api.FollowersView.as_view(), name="accounts-api-followers"),
    path("users/<str:username>/following/", api.FollowingView.as_view(), name="accounts-api-following"),
    path("users/<str:username>/block/", api.BlockView.as_view(), name="accounts-api-block"),
]
