"""The all-or-nothing write: every checked row becomes an account with its role, and the owners are invited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User


class _RowFailed(Exception):
    def __init__(self, line: int, messages: list[str]):
        super().__init__(line)
        self.line, self.messages = line, messages


def _create_all(actor: User, valid: list) -> list[User]:
    created = []
    with transaction.atomic():
        for line, data in valid:
            try:
                created.append(services.account_create(
                    actor=actor, username=data["username"], full_name=data["full_name"], email=data["email"],
                    position=data["position"], phone=data["phone"], grants=[(data["role"], data["unit"])],
                    password=None, invite=False,
                ))
            except (PermissionDenied, ValidationError, IntegrityError) as error:
                messages = error.messages if isinstance(error, ValidationError) else [
                    str(error) if isinstance(error, PermissionDenied) else _("ชื่อผู้ใช้นี้เพิ่งถูกใช้ไป")]
                raise _RowFailed(line, messages) from error
        # The invitations go to the outbox with the accounts: both are committed, or neither.
        services.invitations_send(users=created, actor=actor)
    return created
