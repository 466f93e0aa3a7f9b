"""Bar charts drawn on the server as SVG: they need no JavaScript and print as they look.

A chart is a picture of a table that the page also shows (the numbers, for screen readers
and keyboards), so the SVG itself is hidden from assistive technology. Horizontal bars
keep long labels (forces, councils) readable on a phone.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Each bar has its label above it, so the chart stays narrow enough for a phone.
BAR_AREA = 270
WIDTH = BAR_AREA + 90
ROW_HEIGHT = 42
BAR_HEIGHT = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # What to print beside the bar: the number, or words standing in for it.
    shown_as: str
    # Whether the bar may be drawn to scale (a suppressed count is not).
    drawn: bool = True


def bar_chart_svg(bars: list[Bar]) -> SafeString:
    """Bars scaled to the largest drawn value, each labelled with its shown value."""
    largest = max((bar.value for bar in bars if bar.drawn), default=0) or 1
    rows = []
    for row, bar in enumerate(bars):
        top = row * ROW_HEIGHT
        length = round(BAR_AREA * bar.value / largest) if bar.drawn else 0
        if bar.drawn and bar.value:
            length = max(length, 1)
        rows.append(
            (top + 14, bar.label, top + 20, length, BAR_HEIGHT, length + 6, top + 32, bar.shown_as)
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}">{}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" fill="#007d7e"></rect>'
        '<text x="{}" y="{}">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="homeward-chart" viewBox="0 0 {} {}" width="100%" '
        'aria-hidden="true" focusable="false" font-size="13" fill="currentColor">{}</svg>',
        WIDTH,
        ROW_HEIGHT * len(bars),
        body,
    )
