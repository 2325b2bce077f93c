"""A worksheet that writes a long block of plain rows (numbers and texts, no formats) as XML in one pass.

XlsxWriter keeps a record per cell and writes each through several calls, once when it is stored and again when
the sheet is saved; for the nation's laggard list (some 170,000 cells) that was most of the download's time.
The block's cells are written here straight as the XML XlsxWriter would write, each text once into the
workbook's shared strings (which XlsxWriter escapes and writes), and the sheet's other parts (widths, frozen
panes, formats, rules) stay XlsxWriter's.
"""

from collections.abc import Iterable, Sequence

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

EXCEL_TEXT_MAX = 32767  # UTF-16 units in a cell, as XlsxWriter cuts a longer text


def _within_limit(text: str) -> str:
    if len(text) <= EXCEL_TEXT_MAX // 2:
        return text
    units = text.encode("utf-16-le")
    return units[:2 * EXCEL_TEXT_MAX].decode("utf-16-le", "ignore") if len(units) > 2 * EXCEL_TEXT_MAX else text


class PlainRowsWorksheet(Worksheet):
    """A worksheet that takes, below every cell written to it otherwise, a block of plain rows."""

    def __init__(self):
        super().__init__()
        self._plain_rows: list[str] = []

    def plain_rows(self, first_row: int, rows: Iterable[Sequence]) -> None:
        """Rows of numbers and texts from `first_row` (zero-based) down, as they are: a text is never read as a
        formula, a link or a number; None or an empty text leaves its cell empty. Written last, so the block
        must lie below every other cell of the sheet."""
        if self.dim_rowmax is not None and first_row <= self.dim_rowmax:
            raise ValueError("plain rows go below the cells already written")
        columns: list[str] = []
        last_row, last_column = None, 0
        for row, values in enumerate(rows, start=first_row):
            while len(columns) < len(values):
                columns.append(xl_col_to_name(len(columns)))
            number = row + 1
            cells = self._cells(number, columns, values)
            if cells:
                self._plain_rows.append(f'<row r="{number}">{cells}</row>')
                last_row, last_column = row, max(last_column, len(values) - 1)
        if last_row is not None and (self._check_dimensions(first_row, 0)
                                     or self._check_dimensions(last_row, last_column)):
            raise ValueError("plain rows beyond the sheet's last row or column")

    def _cells(self, number: int, columns: list[str], values: Sequence) -> str:
        """The row's cells, a text by its place in the shared strings; an empty value left out."""
        strings = self.str_table
        cells = []
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                index = strings._get_shared_string_index(_within_limit(value))
                cells.append(f'<c r="{columns[column]}{number}" t="s"><v>{index}</v></c>')
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"a plain row holds numbers and texts, not {type(value).__name__}")
            else:
                cells.append(f'<c r="{columns[column]}{number}"><v>{value:.16G}</v></c>')
        return "".join(cells)

    def _write_rows(self) -> None:
        super()._write_rows()
        self.fh.write("".join(self._plain_rows))
