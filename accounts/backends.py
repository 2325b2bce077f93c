from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router

from info_portal.prepared import Prepared


def _user_id(user_id) -> tuple:
    return (get_user_model()._meta.pk.get_prep_value(user_id),)


# Every signed-in request reads its user: the query is compiled once, not on each request.
_USER = Prepared(lambda user_id: get_user_model()._default_manager.filter(pk=user_id), params=_user_id)


class PortalModelBackend(ModelBackend):
    """Django's model backend, but demo accounts cannot sign in unless DEBUG is on."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """As Django's: the user by id, or None when there is none or it may not sign in (inactive, demo)."""
        user = _USER.instance(user_id, using=router.db_for_read(get_user_model()))
        return user if user is not None and self.user_can_authenticate(user) else None
