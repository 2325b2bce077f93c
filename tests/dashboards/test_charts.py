"""The server-side SVG charts: well-formed, labelled, and safe with any text in them."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

from dashboards import charts
from dashboards.selectors.progress import Line, Progress

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def test_the_progress_chart_draws_a_line_per_level_and_the_deadline():
    days = [date(2025, 5, 24) + timedelta(days=n) for n in range(23)]
    progress = Progress(days=days, lines=[Line("submitted", "ส่งตรวจสอบแล้ว", list(range(23))),
                                          Line("certified", "รับรองแล้ว", [0] * 23)],
                        expected=40, opens_on=days[0], record_by=date(2025, 6, 10), certify_by=date(2025, 6, 15),
                        today=date(2025, 6, 12))
    root = parse(charts.progress_chart(progress, title="ความคืบหน้า"))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and len(lines[0].get("points").split()) == 23
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert {"กำหนดบันทึก", "กำหนดรับรอง", "วันนี้", "24 พ.ค. 68"} <= set(texts)


def test_labels_are_escaped():
    svg = charts.bar_chart([("<script>alert(1)</script>", Decimal(5))], title="a & b")
    assert "<script>" not in svg
    assert parse(svg).find(f"{SVG}title").text == "a & b"


def test_a_sparkline_draws_one_point_per_share_within_its_box_and_escapes_its_title():
    svg = str(charts.sparkline([0.0, 0.25, 1.0, 1.5], title="<b>นครราชสีมา</b>", width=100, height=20))
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 4
    ys = [float(point.split(",")[1]) for point in points]
    assert ys[0] == 17.0 and ys[2] == 3.0 and ys[3] == 3.0  # the baseline, the top, and a share above 1 held there
    assert "<title>&lt;b&gt;นครราชสีมา&lt;/b&gt;</title>" in svg
    parse(svg)  # well-formed
    assert str(charts.sparkline([], title="x")) == ""
