"""A device's recent readings as a small server-rendered SVG line, for the staff's request page.

Drawn like the dashboards' charts (cityhall/dashboards/charts.py): no JavaScript, a <title> and a
<desc> for screen readers, the numbers written out beside the drawing, the site's USWDS blue (3:1
against white as a graphic). The rule's threshold is a dashed line, so the alarm reads at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils import formats, timezone
from django.utils.translation import ngettext

WIDTH, HEIGHT, PAD = 360, 120, 8
LINE = "#1a4480"
THRESHOLD = "#c05600"


@dataclass(frozen=True)
class ReadingsChart:
    title: str
    unit: str
    points: Sequence[tuple[datetime, float]]  # oldest first
    threshold: float | None
    low: float
    high: float

    @property
    def svg(self) -> str:
        return draw(self)


def draw(chart: ReadingsChart) -> str:
    if not chart.points:
        return ""
    first, last = chart.points[0][0], chart.points[-1][0]
    span = max((last - first).total_seconds(), 1.0)
    top = max(chart.high, max(value for _at, value in chart.points))
    bottom = min(chart.low, min(value for _at, value in chart.points))
    scale = max(top - bottom, 1e-9)

    def x(at: datetime) -> float:
        return PAD + (WIDTH - 2 * PAD) * (at - first).total_seconds() / span

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - bottom) / scale

    path = " ".join(f"{x(at):.1f},{y(value):.1f}" for at, value in chart.points)
    values = [value for _at, value in chart.points]
    desc = ngettext(
        "%(count)s reading from %(first)s to %(last)s: lowest %(lowest)s %(unit)s, highest %(highest)s %(unit)s, "
        "latest %(latest)s %(unit)s",
        "%(count)s readings from %(first)s to %(last)s: lowest %(lowest)s %(unit)s, highest %(highest)s %(unit)s, "
        "latest %(latest)s %(unit)s",
        len(values),
    ) % {
        "count": len(values),
        "first": _clock(first),
        "last": _clock(last),
        "lowest": formats.localize(min(values)),
        "highest": formats.localize(max(values)),
        "latest": formats.localize(values[-1]),
        "unit": chart.unit,
    }
    threshold = ""
    if chart.threshold is not None and bottom <= chart.threshold <= top:
        ty = y(chart.threshold)
        threshold = (
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{THRESHOLD}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    return (
        f'<svg class="device-readings" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="readings-title readings-desc">'
        f'<title id="readings-title">{escape(chart.title)}</title><desc id="readings-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff" stroke="#dfe1e2"/>{threshold}'
        f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/></svg>'
    )


def _clock(moment: datetime) -> str:
    """The time of day on the page's clock (the city's), in the reader's format: "9:00 AM", "09:00"."""
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT")
