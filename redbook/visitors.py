"""Who a shopper is, for attribution: the account, or a random token in a guest's session.

The token lives in the session's data, which survives the login (Django only renews
the session key), so what a guest did can be handed to the account they sign in to.
"""

import secrets

SESSION_KEY = "rb_visitor"


def visitor_key(request, *, create: bool = False) -> str | None:
    """`u:<user id>` when signed in, else `s:<token>` (made when `create`), else None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    session = getattr(request, "session", None)
    if session is None:
        return None
    token = session.get(SESSION_KEY)
    if token is None and create:
        token = session[SESSION_KEY] = secrets.token_urlsafe(16)
    return f"s:{token}" if token else None


def guest_key(session) -> str | None:
    """The guest key a session carried before its owner signed in."""
    token = session.get(SESSION_KEY) if session is not None else None
    return f"s:{token}" if token else None


def user_key(user_id: int) -> str:
    return f"u:{user_id}"
