from django.utils.functional import SimpleLazyObject

from notifications import selectors


def unread(request) -> dict:
    """`unread_notifications`: how many of the user's portal messages are unread, counted only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
