"""Small filters for the dashboard templates, and the rows of the unit × sector matrix.

The matrix of a province has some 300 rows of eight cells: built here as plain strings (names escaped once)
it takes a millisecond, where template tags take tens; its cells carry a one-letter class and no attribute
that repeats, which keeps the page a third of its former size. The unit table above it is built the same way.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from info_portal.thai import local_date
from organizations.names import short_name_html

register = template.Library()

# The one-letter class of each state in the matrix (dashboards.css colours them), and its mark: the states differ by
# shape as well as by colour, for those who do not tell the colours apart and on a grey printout.
STATE_CLASS = {"not_started": "n", "draft": "d", "returned": "r", "submitted": "s", "verified": "v",
               "certified": "c"}
STATE_MARK = {"not_started": "○", "draft": "✎", "returned": "↩", "submitted": "▷", "verified": "◎",
              "certified": "✓"}


@register.filter
def bucket(share: float) -> str:
    """A colour class for a share certified (0–1): b0 none … b4 most, b5 all."""
    if share >= 1:
        return "b5"
    if share <= 0:
        return "b0"
    return f"b{min(int(share * 4) + 1, 4)}"


@register.filter
def state_mark(state: str) -> str:
    return STATE_MARK.get(state, "")


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:.1f}"


@register.filter(name="abs")
def absolute(value: int | None) -> int | None:
    return abs(value) if value is not None else None


def _row_start(row) -> str:
    overdue = ' class="is-overdue"' if row.overdue else ""
    return f'<tr{overdue}><th><a href="{escape(row.url)}">{short_name_html(row.name)}</a></th>'


@register.filter
def lao_short_name(lao) -> SafeString:
    """The LAO's name for a dense table: its English name when English is asked and it has one, else the Thai name
    with its type written short (marked Thai on an English page)."""
    if not lao.display_name_is_thai and lao.display_name != lao.name_th:
        return mark_safe(escape(lao.display_name))
    short = short_name_html(lao.name_th)
    return mark_safe(f'<span lang="th">{short}</span>' if lao.display_name_is_thai else short)


@register.filter
def lao_matrix(board) -> SafeString:
    """The rows of the LAO × sector matrix (a province or a district), a heading row before each district."""
    by_province = board.scope.level == "province"
    columns = len(board.sectors) + 2
    html, district = [], None
    for row in board.matrix:
        if by_province and row.district_code != district:
            district = row.district_code
            name = _("อำเภอ") + row.district_name if row.district_name else _("ขึ้นกับจังหวัดโดยตรง")
            html.append(f'<tr class="group"><th colspan="{columns}">{escape(name)}</th></tr>')
        cells = "".join(f"<td class={STATE_CLASS[state]}>{STATE_MARK[state]}</td>" for state in row.states)
        html.append(f"{_row_start(row)}{cells}<td>{row.funnel.certified}/{row.funnel.expected}</td></tr>")
    return mark_safe("\n".join(html))


@register.filter
def province_matrix(board) -> SafeString:
    """The rows of the province × sector matrix of the nation: the share certified of each sector."""
    html = []
    for row in board.matrix:
        cells = "".join(f'<td class="{bucket(cell.completion)}" title="{cell.certified:,} / {cell.expected:,}">'
                        f"{percent(cell.completion)}</td>" for cell in row.sectors)
        html.append(f"{_row_start(row)}{cells}<td>{percent(row.funnel.completion)}%</td></tr>")
    return mark_safe("\n".join(html))


MUTED_DASH = '<span class="muted">—</span>'


@register.filter
def unit_rows(board) -> SafeString:
    """The rows of the unit table: a unit's LAOs (or an LAO's type), its counts by state and its deadline."""
    by_type = board.scope.level == "district"
    late, done, open_ = _("เลยกำหนด"), _("ครบแล้ว"), _("ยังไม่ครบ")
    html = []
    for row in board.rows:
        funnel, reported = row.funnel, row.funnel.reported
        share = percent(funnel.completion)
        overdue, days = row.overdue, row.days_left
        size = f"<td>{escape(row.lao_type_label)}</td>" if by_type else f'<td class="num">{row.lao_count:,}</td>'
        deadline = local_date(row.deadline.certify_by, short=True) if row.deadline else MUTED_DASH
        flag = (f'<span class="flag late">{late}</span>' if overdue else f'<span class="flag done">{done}</span>'
                if funnel.is_complete else f'<span class="muted">{open_}</span>')
        counts = "".join(f'<td class="num">{n:,}</td>' for n in (
            funnel.not_started, reported.get("draft", 0), reported.get("returned", 0), reported.get("submitted", 0),
            reported.get("verified", 0), funnel.certified))
        html.append(
            f'<tr class="{"is-overdue" if overdue else ""}" data-unit="{escape(row.code)}">'
            f'<td>{escape(row.code) or "—"}</td>'
            f'<td class="name"><a href="{escape(row.url)}">{short_name_html(row.name)}</a></td>'
            f'{size}<td class="num">{row.laos_complete:,}</td><td class="num completion"><span class="bar">'
            f'<span data-width="{share}"></span></span> {share}%</td>{counts}<td>{deadline}</td>'
            f'<td class="num{" late" if overdue else ""}">{MUTED_DASH if days is None else f"{days:,}"}</td>'
            f"<td>{flag}</td></tr>")
    return mark_safe("\n".join(html))
