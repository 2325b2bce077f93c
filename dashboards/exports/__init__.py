"""Downloads of the dashboards: the laggard list (Excel, PDF) and the certified values (CSV, Excel).

Every text cell goes through `cells.safe`, so no cell of any export starts with = + - @ and a
spreadsheet never runs a name or a comment as a formula.
"""

from dashboards.exports.cells import safe
from dashboards.exports.laggards_pdf import laggards_pdf
from dashboards.exports.sheets import laggards_xlsx, values_csv, values_xlsx

__all__ = ["laggards_pdf", "laggards_xlsx", "safe", "values_csv", "values_xlsx"]
