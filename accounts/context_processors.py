from accounts import policy


def navigation(request) -> dict:
    """What the menu offers this user, from their roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def compute():
        department = policy.is_department(user)
        oversees = department or policy.districts_overseen(user).exists()
        return {
            "serves_laos": policy.laos_served(user).exists(),
            "is_department": department,
            "oversees": oversees,
            "manages_accounts": oversees,
        }

    return {"nav": compute()}
