"""Authentication that refuses suspended accounts, for sessions and API tokens alike."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from redbook.prepared import Arg, PreparedInstances


class AccountBackend(ModelBackend):
    """`ModelBackend` that also refuses suspended accounts.

    `user_can_authenticate` is consulted both at login and on every request that
    loads the user from the session, so suspending someone ends their open sessions.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


# DRF's `Token.objects.select_related("user").get(key=key)`, compiled once: every API request runs it.
_TOKEN = PreparedInstances(Token, lambda: Token.objects.filter(key=Arg("key")), related="user")


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF token auth; a suspended account's token stops working at once."""

    def authenticate_credentials(self, key):
        found = _TOKEN.objects(key=key)
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.user.is_suspended:
            raise exceptions.AuthenticationFailed(_("This account is suspended."))
        return token.user, token
