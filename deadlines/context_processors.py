from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from deadlines import selectors


def deadline(request) -> dict:
    """`my_deadline`: the current round's deadline for the user's first unit and the days left, read only when a
    page shows it (a handful of queries, whatever the user holds)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_deadline": SimpleLazyObject(lambda: selectors.my_deadline(user, today=timezone.localdate()))}
