"""Names in the active language: the English name where the record has one, else the Thai one."""

from django.conf import settings
from django.utils.translation import get_language

THAI = "th"


def reader_language(code: str | None) -> str:
    """The language a person's messages are written in: the one they chose in the portal, else the default."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def has_thai(text: str) -> bool:
    return any("\u0e00" <= character <= "\u0e7f" for character in text)


def is_english() -> bool:
    return (get_language() or THAI).split("-")[0] == "en"


def local_text(record: object, thai_field: str, english_field: str) -> tuple[str, bool]:
    """The text to show of a pair of fields, and whether it is the Thai one shown for want of an English one."""
    thai = getattr(record, thai_field) or ""
    if not is_english():
        return thai, False
    english = (getattr(record, english_field) or "").strip()
    return (english, False) if english else (thai, bool(thai))


class LocalName:
    """For models with a Thai and an English name (`name_th` / `name_en`, or the fields named below):
    `display_name` is the name in the active language, the Thai one where no English exists."""

    name_th_field = "name_th"
    name_en_field = "name_en"

    @property
    def display_name(self) -> str:
        return local_text(self, self.name_th_field, self.name_en_field)[0]

    @property
    def display_name_is_thai(self) -> bool:
        """English was asked for and the record has none: the name shown is Thai (marked lang="th" on pages)."""
        return local_text(self, self.name_th_field, self.name_en_field)[1]
