"""Charts as server-rendered SVG: one `Chart` is drawn, tabulated and exported as CSV alike.

Why SVG from the server and no JavaScript chart library: nothing to download (a chart is a few
kilobytes of markup, well under the 60 KB budget, where chart libraries weigh 60–250 KB before
data), it prints as drawn, screen readers get a <title>/<desc> and the table view of the same
rows, and it works with scripts off. Bars are horizontal so the labels stay readable at 360 px.
Two series differ by pattern as well as colour (solid vs. hatched) and every bar carries its
number, so nothing depends on colour alone. Colours are the USWDS ones the site already uses:
each passes 3:1 against white as a graphic (WCAG 1.4.11); text is the page's near-black.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH = 420
LABEL_WIDTH = 150
BAR_AREA = 180
ROW_HEIGHT = 22
BAR_HEIGHT = 16
SERIES_COLOURS = ("#1a4480", "#c05600")  # dark blue solid; orange hatched


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float | None, ...]  # one per series
    shown: tuple[str, ...]  # each value as read (e.g. "2.1 days")
    href: str = ""  # the staff queue filter this bar opens


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str  # what is drawn, for the SVG's <desc>
    reading: str  # the one-line reading under the chart
    label_heading: str
    series: tuple[str, ...]
    bars: Sequence[Bar] = field(default_factory=list)

    @property
    def svg(self) -> str:
        return draw(self)

    def csv(self) -> str:
        """Exactly what is drawn: one row per bar, one column per series (the numbers, unrounded)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([self.label_heading, *self.series])
        for bar in self.bars:
            writer.writerow([bar.label, *("" if value is None else _number(value) for value in bar.values)])
        return out.getvalue()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def draw(chart: Chart) -> str:
    series = len(chart.series)
    group = ROW_HEIGHT * series + 8
    legend = 20 * series + 6 if series > 1 else 0
    height = legend + group * len(chart.bars) + 4
    top = max((value or 0 for bar in chart.bars for value in bar.values), default=0) or 1
    slug = escape(chart.slug)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        # An image, unless its bars are links: then a group, so the links stay reachable (an img's
        # children are presentational).
        f'role="{"group" if any(bar.href for bar in chart.bars) else "img"}" '
        f'aria-labelledby="{slug}-title {slug}-desc" font-size="14" font-family="inherit">',
        f'<title id="{slug}-title">{escape(chart.title)}</title>',
        f'<desc id="{slug}-desc">{escape(chart.description)}</desc>',
        f'<defs><pattern id="{slug}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<rect width="3" height="6" fill="{SERIES_COLOURS[1]}"/></pattern></defs>',
    ]
    if series > 1:  # the key, one line per series
        for index, name in enumerate(chart.series):
            swatch = f'fill="{_fill(slug, index)}" stroke="{SERIES_COLOURS[index]}"'
            y = 4 + index * 20
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="14" height="14" {swatch}/>'
                f'<text x="{LABEL_WIDTH + 20}" y="{y + 12}" fill="#1b1b1b">{escape(name)}</text>'
            )
    for row, bar in enumerate(chart.bars):
        y = legend + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT * series / 2 + 5:.0f}" text-anchor="end" '
            f'fill="#1b1b1b">{escape(_short(bar.label))}</text>'
        )
        for index, value in enumerate(bar.values):
            width = BAR_AREA * (value or 0) / top
            bar_y = y + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            shape = (
                f'<rect x="{LABEL_WIDTH}" y="{bar_y:.0f}" width="{max(width, 1):.1f}" height="{BAR_HEIGHT}" '
                f'fill="{_fill(slug, index)}" stroke="{SERIES_COLOURS[index]}"/>'
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{bar_y + 12:.0f}" fill="#1b1b1b">'
                f"{escape(bar.shown[index])}</text>"
            )
            if bar.href:
                name = f"{bar.label}, {chart.series[index]}: {bar.shown[index]}"
                shape = f'<a href="{escape(bar.href)}" aria-label="{escape(name)}">{shape}</a>'
            parts.append(shape)
    parts.append("</svg>")
    return "".join(parts)


def _fill(slug: str, series: int) -> str:
    return SERIES_COLOURS[0] if series == 0 else f"url(#{slug}-hatch)"


def _short(label: str, limit: int = 17) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
