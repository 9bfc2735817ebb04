from django.utils.functional import SimpleLazyObject

from messaging.selectors import unread_total


def messages_badge(request) -> dict:
    """`unread_messages_count` for the top bar: one indexed sum, only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_messages_count": 0}
    return {"unread_messages_count": SimpleLazyObject(lambda: unread_total(user=user))}
