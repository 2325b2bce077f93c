"""An FPDF that shapes each distinct string once.

fpdf2 runs the bidirectional algorithm and HarfBuzz again for every cell it writes, though a document repeats
a few strings many times (a table's states, districts, headings). This document keeps what each distinct string
came to in its style (its fragments, glyphs, width and where each glyph goes from the start of the text) and
reuses it: every string is shaped and laid out once, and a cell only moves the result to its place.
"""

import unicodedata

from fpdf import FPDF
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont
from fpdf.line_break import Fragment


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

    def perform_harfbuzz_shaping(self, text, font_size_pt, text_shaping_params):
        """HarfBuzz's glyphs for a string, which both its width and its rendering read."""
        return self._once(TTFFont.perform_harfbuzz_shaping, text, font_size_pt, text_shaping_params)

    def shape_text(self, text, font_size_pt, text_shaping_params):
        return self._once(TTFFont.shape_text, text, font_size_pt, text_shaping_params)

    def get_text_width(self, text, font_size_pt, text_shaping_params):
        return self._once(TTFFont.get_text_width, text, font_size_pt, text_shaping_params)


class PlacedOnceFragment(Fragment):
    """A fragment that works out its width and its glyphs' positions from its start once, then only moves them.

    fpdf2 walks every glyph of a fragment each time it is written (a text-matrix move for each Thai mark the shaper
    shifts); the text operators differ between two places only by where each move goes, so they are kept with
    the moves relative to the start and the start is added when the fragment is written."""

    def get_width(self, start=0, end=None, chars=None, initial_cs=True):
        if start or end is not None or chars is not None:
            return super().get_width(start, end, chars, initial_cs)
        text = self.string
        cached = self.__dict__.get("_width")
        if cached is None or cached[0] != (text, initial_cs):
            cached = self._width = ((text, initial_cs), super().get_width(initial_cs=initial_cs))
        return cached[1]

    def render_with_text_shaping(self, pos_x, pos_y, h, word_spacing):
        if word_spacing:
            return super().render_with_text_shaping(pos_x, pos_y, h, word_spacing)
        text = self.string
        cached = self.__dict__.get("_placed")
        if cached is None or cached[0] != text:
            cached = self._placed = (text, self._placed_from_start())
        k = self.k
        return "".join(item if type(item) is str else
                       f"1 0 0 1 {(pos_x + item[0]) * k:.2f} {(h - (pos_y + item[1])) * k:.2f} Tm "
                       for item in cached[1])

    def _placed_from_start(self) -> list:
        """The operators of render_with_text_shaping() written at (0, 0) without word spacing: text runs as they
        are, each text-matrix move as its (x, y) offset from the start."""
        font = self.font
        scale = font.scale * self.font_size_pt * (self.font_stretching / 100) / 1000 / self.k
        char_spacing = self.char_spacing * (self.font_stretching / 100) / self.k
        items: list = []
        text, pos_x, pos_y = "", 0.0, 0.0
        for glyph in font.shape_text(self.string, self.font_size_pt, self.text_shaping_parameters):
            if glyph["mapped_char"] is None:  # a glyph the font lacks
                continue
            if glyph["x_offset"] != 0 or glyph["y_offset"] != 0:
                if text:
                    items.append(f"({text}) Tj ")
                    text = ""
                items.append((pos_x + glyph["x_offset"] * scale, pos_y + glyph["y_offset"] * -scale))
            text += font.escape_text(chr(glyph["mapped_char"]))
            pos_x += glyph["x_advance"] * scale + char_spacing
            pos_y += glyph["y_advance"] * scale
            if glyph["force_positioning"]:
                if text:
                    items.append(f"({text}) Tj ")
                    text = ""
                items.append((pos_x, pos_y))
        if text:
            items.append(f"({text}) Tj")
        return items


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
        return (text, self.font_family, self.font_style, self.font_size_pt, self.text_color, self.underline,
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
            for fragment in self._fragments[key]:
                if type(fragment) is Fragment:
                    fragment.__class__ = PlacedOnceFragment
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
