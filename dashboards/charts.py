"""Charts drawn on the server as inline SVG: no script and no CDN, readable offline and when printed."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from info_portal.thai import thai_date

STATE_COLOURS = {
    "not_started": "#c9ced6",
    "draft": "#f2c94c",
    "returned": "#e8833a",
    "submitted": "#8cbbe8",
    "verified": "#2c67ad",
    "certified": "#1e7b46",
}
LINE_COLOURS = {"submitted": "#8cbbe8", "verified": "#3f7fc9", "certified": "#1e7b46"}
FONT = 'font-family="Sarabun, Tahoma, sans-serif"'


def _number(value: float | int | Decimal, places: int = 0) -> str:
    return f"{value:,.{places}f}"


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT} font-size="13"><title>{escape(title)}</title>'
        + "".join(body) + "</svg>"
    )


def _ticks(days: list[date], count: int = 6) -> list[int]:
    if len(days) <= count:
        return list(range(len(days)))
    step = (len(days) - 1) / (count - 1)
    return sorted({round(i * step) for i in range(count)})


def progress_chart(progress, *, title: str) -> SafeString:
    """Share of the expected reports at each level of the workflow, day by day, with the deadlines and today."""
    width, height = 560, 300
    left, right, top, bottom = 44, 16, 12, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    days = progress.days
    span = max(len(days) - 1, 1)

    def x_of(day: date) -> float:
        return left + (day - days[0]).days / span * plot_w

    def y_of(share: float) -> float:
        return top + plot_h - share * plot_h

    body = []
    for percent in (0, 25, 50, 75, 100):
        y = y_of(percent / 100)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee5"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#5b6776">{percent}%</text>')
    ticks = _ticks(days)
    for index in ticks:
        x = x_of(days[index])
        anchor = "start" if index == ticks[0] else "end" if index == ticks[-1] else "middle"
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}" fill="#5b6776">'
                    f'{escape(thai_date(days[index], short=True))}</text>')
    markers = [
        (progress.record_by, _("กำหนดบันทึก"), "#9a6200"),
        (progress.certify_by, _("กำหนดรับรอง"), "#b3261e"),
        (progress.today, _("วันนี้"), "#1d2733"),
    ]
    shown = [(day, label, colour) for day, label, colour in markers if day and days[0] <= day <= days[-1]]
    for index, (day, label, colour) in enumerate(shown):
        x = x_of(day)
        anchor = "end" if x > left + plot_w * 0.8 else "start"
        label_y = top + 14 + index * 15  # one line each, so labels of close dates do not overlap
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{colour}" '
                    f'stroke-dasharray="4 3"/><text x="{x + (-4 if anchor == "end" else 4):.1f}" y="{label_y}" '
                    f'text-anchor="{anchor}" fill="{colour}" font-size="12">{escape(label)}</text>')
    legend_x = left
    for line in progress.lines:
        colour = LINE_COLOURS.get(line.key, "#333")
        points = " ".join(f"{x_of(day):.1f},{y_of(share):.1f}"
                          for day, share in zip(days, line.shares(progress.expected), strict=True))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round"><title>{escape(line.label)}: {_number(line.last)}</title></polyline>')
        y = height - 12
        body.append(f'<rect x="{legend_x}" y="{y - 9}" width="14" height="4" fill="{colour}"/>'
                    f'<text x="{legend_x + 20}" y="{y - 3}" fill="#1d2733">{escape(line.label)}</text>')
        legend_x += 20 + 14 * len(line.label) // 2 + 40
    return _svg(width, height, title, body, "chart-progress")


def bar_chart(rows: Sequence[tuple[str, Decimal]], *, title: str, unit: str = "", places: int = 0) -> SafeString:
    """Horizontal bars, one per row, labelled with the value."""
    width, label_w, value_w, row_h = 720, 220, 150, 24
    bar_w = width - label_w - value_w
    top = max((value for _label, value in rows), default=0) or 1
    body = []
    for index, (label, value) in enumerate(rows):
        y = index * row_h + 4
        length = max(float(value) / float(top), 0) * bar_w
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#1d2733">{escape(label[:40])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 8}" fill="#1f4e8c" rx="2">'
            f'<title>{escape(label)}: {_number(value, places)}</title></rect>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 15}" fill="#1d2733">{_number(value, places)} '
            f'{escape(unit)}</text>'
        )
    return _svg(width, max(len(rows), 1) * row_h + 8, title, body, "chart-bars")


def sparkline(shares: Sequence[float], *, title: str, width: int = 120, height: int = 28) -> SafeString:
    """A small line of shares (0–1) over time, for a table cell; the last point is marked."""
    if not shares:
        return mark_safe("")
    pad = 3
    span = max(len(shares) - 1, 1)

    def point(index: int, share: float) -> tuple[float, float]:
        return (pad + index / span * (width - 2 * pad),
                height - pad - min(max(share, 0.0), 1.0) * (height - 2 * pad))

    points = [point(index, share) for index, share in enumerate(shares)]
    last_x, last_y = points[-1]
    body = [
        f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" stroke="#d9dee5"/>',
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" '
        f'stroke="{STATE_COLOURS["certified"]}" stroke-width="1.8" stroke-linejoin="round"/>',
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{STATE_COLOURS["certified"]}"/>',
    ]
    return mark_safe(
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )
