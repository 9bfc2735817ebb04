from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def notifications(request) -> dict:
    """`unread_notifications_count` for the top bar: one indexed count, only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications_count": 0}
    return {"unread_notifications_count": SimpleLazyObject(lambda: unread_count(user=user))}
