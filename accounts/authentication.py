"""Authentication: one password check for every login, and API tokens of our own.

Both refuse suspended and deactivated accounts, for sessions and API tokens alike.
"""

from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, User
from redbook.prepared import Arg, PreparedInstances

BACKEND = "accounts.authentication.AccountBackend"
LAST_USED_PRECISION = timedelta(minutes=5)  # `last_used_at` costs one write per token per 5 minutes


def check_credentials(*, username: str, password: str) -> User | None:
    """The account if `password` is its password, else None, at the cost of one password hash.

    An unknown name, an account without a usable password, a wrong password and a right
    one all hash the password once, so the time taken says nothing about the account
    (Django's ModelBackend hashes nothing for an unusable password).
    """
    user = User._default_manager.filter(username=username).first()
    if user is None or not user.has_usable_password():
        make_password(password)
        return None
    return user if user.check_password(password) else None


class AccountBackend(ModelBackend):
    """`ModelBackend` that also refuses suspended accounts, with `check_credentials`'s one hash.

    `user_can_authenticate` is consulted both at login and on every request that
    loads the user from the session, so suspending someone ends their open sessions.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = check_credentials(username=username, password=password)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)

    def get_user(self, user_id):
        """`ModelBackend.get_user` (the session's user, if it may still sign in) by a compiled query."""
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _USER.objects(pk=pk)
        return found[0] if found and self.user_can_authenticate(found[0]) else None


# `User.objects.get(pk=...)`, compiled once: every signed-in page loads its user from the session.
_USER = PreparedInstances(User, lambda: User.objects.filter(pk=Arg("pk")), related=None)
# `ApiToken.objects.select_related("user").get(digest=...)`, compiled once: every API request runs it.
_TOKEN = PreparedInstances(ApiToken, lambda: ApiToken.objects.filter(digest=Arg("digest")), related="user")


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` against `ApiToken`; `request.auth` is the token.

    A suspended account's tokens stop working at once, and every token issued before a
    password change stops working with it.
    """

    model = ApiToken

    def authenticate_credentials(self, key):
        found = _TOKEN.objects(digest=ApiToken.digest_of(key))
        if not found or not found[0].matches_password():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.user.is_suspended:
            raise exceptions.AuthenticationFailed(_("This account is suspended."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
