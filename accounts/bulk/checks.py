"""The checks of the rows: each passes the single account form, and a username appears once in the file."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.bulk.reading import COLUMNS, _normal, _role_names
from accounts.forms import AccountCreateForm, UnitScope
from accounts.models import User


@dataclass(frozen=True)
class RowError:
    line: int
    messages: list[str]


def _form_messages(form: AccountCreateForm, *, skip: tuple[str, ...] = ()) -> list[str]:
    """The form's errors, each after the name of its column in the file."""
    column_labels = {"unit": dict((key, label) for key, label, _required in COLUMNS)["unit_code"]}
    found = []
    for name, errors in form.errors.items():
        if name in skip:
            continue
        label = column_labels.get(name) or (form.fields[name].label if name in form.fields else "")
        found.extend(f"{label}: {error}" if label else error for error in errors)
    return found


PROGRESS_EVERY = 100  # rows checked between two progress reports of a job


def _validate(actor: User, rows: list[tuple[int, dict[str, str]]], progress=None) -> tuple[list, list[RowError]]:
    """Check every row as the single account form would, plus usernames repeated within the file."""
    scope = UnitScope(actor)
    role_names = _role_names()
    first_line_of: dict[str, int] = {}
    valid, errors = [], []
    for number, (line, data) in enumerate(rows):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, len(rows))
        role_text = data.get("role", "")
        role = role_names.get(_normal(role_text))
        form = AccountCreateForm({**data, "role": role.value if role else "", "unit": data.get("unit_code", "")},
                                 actor=actor, scope=scope)
        form.is_valid()
        problems = []
        if role_text and role is None:
            problems.append(_("ไม่รู้จักบทบาท “%(role)s” ใช้ชื่อบทบาทตามแผ่นงานคำอธิบาย") % {"role": role_text})
        problems.extend(_form_messages(form, skip=("role",) if problems else ()))
        username = _normal(data.get("username", ""))
        if username in first_line_of:
            problems.append(_("ชื่อผู้ใช้ %(username)s ซ้ำกับแถวที่ %(line)d ในไฟล์นี้")
                            % {"username": username, "line": first_line_of[username]})
        elif username:
            first_line_of[username] = line
        if problems:
            errors.append(RowError(line, problems))
        else:
            valid.append((line, form.cleaned_data))
    return valid, errors
