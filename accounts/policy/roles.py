"""The roles a user may hold on an org unit, the actions they allow, and one held role with its unit."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from organizations.models import LAO, District, Province


class Role(StrEnum):
    RECORDER = "recorder"
    VERIFIER = "verifier"
    CERTIFIER = "certifier"
    DISTRICT_OFFICER = "district_officer"
    PROVINCIAL_OFFICER = "provincial_officer"
    DEPARTMENT_ADMIN = "department_admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def unit_model(self) -> type[Model] | None:
        return _ROLE_UNIT_MODEL[self]

    @property
    def codename(self) -> str:
        """The permission the role is stored as (only accounts.policy.grants reads or writes it)."""
        return _ROLE_CODENAME[self]

    @property
    def permission(self) -> str:
        """The permission string guardian's assign_perm / remove_perm take."""
        return f"organizations.{self.codename}"


ROLE_LABELS = {
    Role.RECORDER: _("ผู้บันทึกข้อมูล"),
    Role.VERIFIER: _("ผู้ตรวจสอบข้อมูล"),
    Role.CERTIFIER: _("ผู้รับรองข้อมูล"),
    Role.DISTRICT_OFFICER: _("ท้องถิ่นอำเภอ"),
    Role.PROVINCIAL_OFFICER: _("ท้องถิ่นจังหวัด"),
    Role.DEPARTMENT_ADMIN: _("กรมส่งเสริมการปกครองท้องถิ่น"),
}
_ROLE_UNIT_MODEL = {
    Role.RECORDER: LAO,
    Role.VERIFIER: LAO,
    Role.CERTIFIER: LAO,
    Role.DISTRICT_OFFICER: District,
    Role.PROVINCIAL_OFFICER: Province,
    Role.DEPARTMENT_ADMIN: None,
}
_ROLE_CODENAME = {
    Role.RECORDER: "record_lao",
    Role.VERIFIER: "verify_lao",
    Role.CERTIFIER: "certify_lao",
    Role.DISTRICT_OFFICER: "oversee_district",
    Role.PROVINCIAL_OFFICER: "oversee_province",
    Role.DEPARTMENT_ADMIN: "oversee_nation",
}
LAO_ROLES = (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER)


class Action(StrEnum):
    SEE = "see"  # read the LAO's pages and data
    RECORD = "record"
    VERIFY = "verify"
    CERTIFY = "certify"
    OVERSEE = "oversee"  # watch, chase and reopen from the district, province or department
    MANAGE = "manage"  # create accounts and grant roles on the LAO
    REOPEN = "reopen"  # reopen certified data: the province or the department, never the district


LAO_ACTION_ROLES = {Action.RECORD: Role.RECORDER, Action.VERIFY: Role.VERIFIER, Action.CERTIFY: Role.CERTIFIER}


@dataclass(frozen=True)
class Grant:
    role: Role
    unit: Model | None

    @property
    def label(self) -> str:
        return self.role.label if self.unit is None else f"{self.role.label} · {self.unit}"
