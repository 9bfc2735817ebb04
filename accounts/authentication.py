"""Authentication that refuses suspended accounts, for sessions and API tokens alike."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class AccountBackend(ModelBackend):
    """`ModelBackend` that also refuses suspended accounts.

    `user_can_authenticate` is consulted both at login and on every request that
    loads the user from the session, so suspending someone ends their open sessions.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF token auth; a suspended account's token stops working at once."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.is_suspended:
            raise exceptions.AuthenticationFailed(_("This account is suspended."))
        return user, token
