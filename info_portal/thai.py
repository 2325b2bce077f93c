"""Thai calendar helpers: Buddhist-Era dates, fiscal years (1 Oct – 30 Sep) and Thai digits.

Month names come from Django's own catalogues (`django.utils.dates`): Thai ones in Thai, English ones in English.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext

from info_portal.names import is_english

BE_OFFSET = 543
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def be_year(value: date) -> int:
    """The Buddhist-Era year of a date (2025 → 2568)."""
    return value.year + BE_OFFSET


def thai_digits(text: object) -> str:
    """The same text with Arabic digits written as Thai digits (for printed letters)."""
    return str(text).translate(_THAI_DIGITS)


def thai_date(value: date | datetime, *, short: bool = False, digits: bool = False) -> str:
    """'15 มิถุนายน 2568', or '15 มิ.ย. 68' when short; Thai digits on request."""
    if isinstance(value, datetime):
        value = value.date()
    with translation.override("th"):
        if short:
            text = f"{value.day} {MONTHS_3[value.month]} {be_year(value) % 100:02d}"
        else:
            text = f"{value.day} {MONTHS[value.month]} {be_year(value)}"
    return thai_digits(text) if digits else text


def local_date(value: date | datetime, *, short: bool = False, digits: bool = False) -> str:
    """A date in the active language: Thai as `thai_date`; in English '15 June 2025', or '15 Jun 2025' when short."""
    if not is_english():
        return thai_date(value, short=short, digits=digits)
    if isinstance(value, datetime):
        value = value.date()
    month = str(MONTHS_3[value.month]).title() if short else MONTHS[value.month]
    return f"{value.day} {month} {value.year}"


@dataclass(frozen=True)
class FiscalYear:
    """A Thai fiscal year, named by the Buddhist-Era year in which it ends."""

    be_year: int

    @property
    def start(self) -> date:
        return date(self.be_year - BE_OFFSET - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(self.be_year - BE_OFFSET, 9, 30)

    @property
    def label(self) -> str:
        """ปีงบประมาณ พ.ศ. 2568 in Thai, FY 2568 in English."""
        return gettext("ปีงบประมาณ พ.ศ. %(year)s") % {"year": self.be_year}

    def __contains__(self, value: date) -> bool:
        return self.start <= value <= self.end

    @classmethod
    def of(cls, value: date) -> "FiscalYear":
        """The fiscal year a date falls in: from 1 October the next year's."""
        ends_in = value.year + 1 if value.month >= 10 else value.year
        return cls(ends_in + BE_OFFSET)


def local_datetime(value: datetime) -> str:
    """15 มิ.ย. 68 14:05 น. in Thai, 15 Jun 2025 14:05 in English (the time as given: localise it first)."""
    if is_english():
        return f"{local_date(value, short=True)} {value:%H:%M}"
    return f"{thai_date(value, short=True)} {value:%H:%M} น."
