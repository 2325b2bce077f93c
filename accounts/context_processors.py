from django.utils.functional import SimpleLazyObject

from accounts import policy


def navigation(request) -> dict:
    """What the menu offers this user, from their roles; worked out only when a page shows the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        department = policy.is_department(user)
        oversees = policy.oversees_any_unit(user)
        return {
            "serves_laos": policy.serves_any_lao(user),
            "is_department": department,
            "oversees": oversees,
            "manages_accounts": oversees,
        }

    return {"nav": SimpleLazyObject(compute)}
