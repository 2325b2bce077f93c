"""An FPDF that shapes each distinct string once.

fpdf2 runs the bidirectional algorithm and HarfBuzz again for every cell it writes, though a document repeats
a few strings many times (a table's states, districts, headings). This document keeps what each distinct string
came to in its style (its fragments, glyphs and width) and reuses it: every string is shaped once.
"""

import unicodedata

from fpdf import FPDF
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont


def _parameters(params: dict | None) -> tuple:
    """What of the shaping parameters varies between two strings of one document: the run's direction (the
    features, script and language are set once, in set_text_shaping)."""
    return (params.get("fragment_direction"), params.get("script"), params.get("language")) if params else ()


_RIGHT_TO_LEFT = {"R", "AL", "AN", "RLE", "RLO", "RLI", "FSI", "LRE", "LRO", "LRI", "PDF", "PDI"}


def _left_to_right(text: str) -> bool:
    """No character that starts or steers a right-to-left run (Thai, Latin, digits and punctuation never do)."""
    return not any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text)


class ShapedOnceFont(TTFFont):
    """A font that remembers the glyphs and the width of each (text, size, shaping parameters) it has shaped in
    this document: both depend on nothing else, and the glyphs joined the font's subset the first time."""

    __slots__ = ("_answers",)

    @classmethod
    def of(cls, font: TTFFont) -> "ShapedOnceFont":
        once = cls.__new__(cls)
        for name in TTFFont.__slots__:
            if hasattr(font, name):
                setattr(once, name, getattr(font, name))
        once._answers = {}
        return once

    def _once(self, method, text: str, font_size_pt: float, params: dict | None):
        key = (method.__name__, text, font_size_pt, _parameters(params))
        if key not in self._answers:
            self._answers[key] = method(self, text, font_size_pt, params)
        return self._answers[key]

    def shape_text(self, text, font_size_pt, text_shaping_params):
        return self._once(TTFFont.shape_text, text, font_size_pt, text_shaping_params)

    def get_text_width(self, text, font_size_pt, text_shaping_params):
        return self._once(TTFFont.get_text_width, text, font_size_pt, text_shaping_params)


class ShapedOncePDF(FPDF):
    """An FPDF whose fonts and text runs remember what each string came to; text shaping is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fragments: dict[tuple, object] = {}
        self._widths: dict[tuple, float] = {}
        self.set_text_shaping(True)

    def add_font(self, *args, **kwargs) -> None:
        super().add_font(*args, **kwargs)
        for key, font in list(self.fonts.items()):
            if not isinstance(font, ShapedOnceFont):
                self.fonts[key] = ShapedOnceFont.of(font)

    def _style_key(self, text: str) -> tuple:
        return (text, self.font_family, self.font_style, self.font_size_pt, str(self.text_color), self.underline,
                self.strikethrough, self.char_spacing, self.font_stretching)

    def _preload_bidirectional_text(self, text, markdown):
        """The bidirectional runs of a string in the current style, worked out once: a cell only reads them. Thai,
        Latin and digits make one left-to-right run, which is what the bidirectional algorithm would find."""
        key = (markdown, *self._style_key(text))
        if key not in self._fragments:
            if _left_to_right(text):
                self.text_shaping["paragraph_direction"] = TextDirection.LTR
                self.text_shaping["fragment_direction"] = TextDirection.LTR
                emphasis = ("B" in self.font_style, "I" in self.font_style, self.strikethrough, self.underline)
                self._fragments[key] = tuple(self._preload_font_styles(text, markdown, _initial_emphasis=emphasis))
            else:
                self._fragments[key] = super()._preload_bidirectional_text(text, markdown)
        return self._fragments[key]

    def width_of(self, text: str) -> float:
        """get_string_width() of a left-to-right string, read from the shaper without splitting it into runs."""
        key = self._style_key(text)
        if key not in self._widths:
            if _left_to_right(text) and not self.char_spacing and self.font_stretching == 100:
                self.text_shaping["fragment_direction"] = TextDirection.LTR
                _glyphs, width = self.current_font.get_text_width(text, self.font_size_pt, self.text_shaping)
                self._widths[key] = width / self.k
            else:
                self._widths[key] = self.get_string_width(text)
        return self._widths[key]
