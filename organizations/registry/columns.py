"""The registry template's columns, the words it accepts, and the errors an import reports."""

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _
from import_export.results import Result

from organizations.models import LAO, LAOType

# (key, Thai header, column required): the template's columns in order. Either header names a column.
COLUMNS = [
    ("dla_code", "รหัส อปท.", True),
    ("lao_type", "ประเภท", True),
    ("name_th", "ชื่อ อปท.", True),
    ("name_en", "ชื่อภาษาอังกฤษ", False),
    ("province", "รหัสจังหวัด", True),
    ("district", "รหัสอำเภอ", False),
    ("subdistricts", "รหัสตำบลในเขต", False),
    ("is_active", "ใช้งาน", False),
]
HEADERS = {key: header for key, header, _required in COLUMNS}
TYPE_ABBREVIATIONS = {
    "อบจ": LAOType.PAO, "ทน": LAOType.CITY, "ทม": LAOType.TOWN,
    "ทต": LAOType.SUBDISTRICT_MUNICIPALITY, "อบต": LAOType.SAO,
}
TRUE_WORDS = {"1", "true", "yes", "y", "ใช่", "ใช้งาน"}
FALSE_WORDS = {"0", "false", "no", "n", "ไม่", "ไม่ใช่", "ไม่ใช้งาน", "เลิกใช้งาน"}
# A cell starting with one of these is a formula to a spreadsheet that opens an export of the registry.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# An .xlsx of a few MB unpacks to some tens of MB; anything declaring more is refused before parsing.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RegistryError(NamedTuple):
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("บรรทัด %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class RegistryRow(NamedTuple):
    """What one line does: creates, updates (with each field's old and new value) or leaves an LAO as it is."""

    line: int
    action: str  # an import-export RowResult type: new, update, skip
    name: str
    dla_code: str
    lao_id: int | None  # the existing LAO the line matched; None for a new one
    changes: list[tuple[str, str, str]]  # (field, before, after)


@dataclass
class RegistryImportResult:
    dry_run: bool
    errors: list[RegistryError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[RegistryRow] = field(default_factory=list)
    import_result: Result | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class RegistryFileError(Exception):
    def __init__(self, *errors: RegistryError):
        super().__init__(*errors)
        self.errors = list(errors)


def _text(value) -> str:
    """A cell as text: integral numbers without '.0', ำ typed as two marks joined, no zero-width spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u0e4d\u0e32", "\u0e33").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def _key(text: str) -> str:
    """How a header or a type is compared: no spaces, no dots, lower case ('อบต.' is 'อบต')."""
    return re.sub(r"[\s.]", "", text).lower()


def _header_keys() -> dict[str, str]:
    keys = {}
    with translation.override("th"):
        for key, header, _required in COLUMNS:
            keys[_key(key)] = keys[_key(header)] = key
            model_field = LAO._meta.get_field(key)
            keys.setdefault(_key(str(model_field.verbose_name)), key)
    return keys


def _type_keys() -> dict[str, str]:
    keys = dict(TYPE_ABBREVIATIONS)
    for lao_type in LAOType:
        keys[_key(lao_type.value)] = lao_type
        keys[_key(str(lao_type.label))] = lao_type
        with translation.override("th"):
            keys[_key(str(lao_type.label))] = lao_type
    return keys
