"""A SODA answer in Socrata's shapes: JSON rows, CSV, GeoJSON, with the X-SODA2 headers.

As Socrata: numbers are strings (no precision lost in JavaScript), calendar dates are floating
timestamps (`2026-12-04T08:15:00.000`, the city's time), points are GeoJSON, and a JSON row leaves
out its null fields.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpResponse
from shapely.geometry import shape

from cityhall.opendata.soql import Dialect, Output

from .run import Answer

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/vnd.geo+json; charset=utf-8",
}
SHAPES = ("point", "multipolygon")


def number_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def floating_text(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


Shown = Callable[[Any], Any]


def _shower(output: Output, dialect: Dialect) -> Shown:
    """How one output's value is shown in Socrata's JSON (None for a null), chosen once per answer."""
    if output.type == "point":
        return lambda value: None if None in value else {"type": "Point", "coordinates": [value[1], value[0]]}
    if output.type == "multipolygon":
        return lambda value: json.loads(value) if isinstance(value, str) else value
    if output.type == "number":
        return number_text
    if output.type == "checkbox":
        return bool
    if output.type in ("calendar_date", "floating"):
        read = dialect.read_instant if output.type == "calendar_date" else dialect.read_floating
        return lambda value: floating_text(read(value))  # type: ignore[arg-type]
    return str


def _shown(answer: Answer) -> Iterator[list[Any]]:
    """Each row's values as Socrata's JSON shows them, one per output (a point's two columns become one)."""
    plan, position = [], 0
    for output in answer.outputs:
        plan.append((position, output.width, _shower(output, answer.dialect)))
        position += output.width
    for row in answer.rows:
        shown = []
        for start, width, show in plan:
            value = row[start : start + 2] if width == 2 else row[start]
            shown.append(None if value is None else show(value))
        yield shown


def _csv_text(output: Output, shown: Any) -> str:
    if shown is None:
        return ""
    if output.type in SHAPES:
        return str(shape(shown).wkt)
    if isinstance(shown, bool):
        return "true" if shown else "false"
    return str(shown)


def _headers(response: HttpResponse, answer: Answer) -> HttpResponse:
    response["X-SODA2-Fields"] = json.dumps([output.name for output in answer.outputs])
    response["X-SODA2-Types"] = json.dumps([output.soda_type for output in answer.outputs])
    response["Access-Control-Allow-Origin"] = "*"  # open data: any page may read it
    response["Access-Control-Expose-Headers"] = "X-SODA2-Fields, X-SODA2-Types"
    return response


def as_json(answer: Answer) -> HttpResponse:
    names = [output.name for output in answer.outputs]
    rows = [
        {name: value for name, value in zip(names, shown, strict=True) if value is not None} for shown in _shown(answer)
    ]
    return _headers(HttpResponse(orjson.dumps(rows), content_type=CONTENT_TYPES["json"]), answer)


def as_csv(answer: Answer) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([output.name for output in answer.outputs])
    for shown in _shown(answer):
        writer.writerow([_csv_text(output, value) for output, value in zip(answer.outputs, shown, strict=True)])
    return _headers(HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"]), answer)


def as_geojson(answer: Answer) -> HttpResponse:
    """A FeatureCollection: the first selected shape is each feature's geometry, the rest its properties."""
    where = next((index for index, output in enumerate(answer.outputs) if output.type in SHAPES), None)
    names = [output.name for output in answer.outputs]
    features = []
    for shown in _shown(answer):
        properties = {
            name: value for index, (name, value) in enumerate(zip(names, shown, strict=True)) if index != where
        }
        geometry = shown[where] if where is not None else None
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    return _headers(HttpResponse(body, content_type=CONTENT_TYPES["geojson"]), answer)


RENDERERS = {"json": as_json, "csv": as_csv, "geojson": as_geojson}
