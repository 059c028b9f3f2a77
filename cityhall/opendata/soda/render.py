"""A SODA answer in Socrata's shapes: JSON rows, CSV, GeoJSON, with the X-SODA2 headers.

As Socrata: numbers are strings (no precision lost in JavaScript), calendar dates are floating
timestamps (`2026-12-04T08:15:00.000`, the city's time), points are GeoJSON, and a JSON row leaves
out its null fields.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
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
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _cells(answer: Answer) -> Iterator[list[tuple[Output, Any]]]:
    """Each row as (output, value) pairs; a point's two SQL columns become one (latitude, longitude)."""
    for row in answer.rows:
        cells, position = [], 0
        for output in answer.outputs:
            value = row[position : position + 2] if output.width == 2 else row[position]
            cells.append((output, value))
            position += output.width
        yield cells


def _json_value(output: Output, value: Any, dialect: Dialect) -> Any:
    """A value as Socrata's JSON has it; None for a null."""
    if output.type == "point":
        lat, lng = value
        return None if lat is None or lng is None else {"type": "Point", "coordinates": [lng, lat]}
    if value is None:
        return None
    if output.type == "multipolygon":
        return json.loads(value) if isinstance(value, str) else value
    if output.type == "number":
        return number_text(value)
    if output.type == "checkbox":
        return bool(value)
    if output.type == "calendar_date":
        moment = dialect.read_instant(value)
        return floating_text(moment) if moment else None
    if output.type == "floating":
        moment = dialect.read_floating(value)
        return floating_text(moment) if moment else None
    return str(value)


def _csv_value(output: Output, value: Any, dialect: Dialect) -> str:
    shown = _json_value(output, value, dialect)
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
    rows = [
        {
            output.name: shown
            for output, value in cells
            if (shown := _json_value(output, value, answer.dialect)) is not None
        }
        for cells in _cells(answer)
    ]
    return _headers(HttpResponse(orjson.dumps(rows), content_type=CONTENT_TYPES["json"]), answer)


def as_csv(answer: Answer) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([output.name for output in answer.outputs])
    for cells in _cells(answer):
        writer.writerow([_csv_value(output, value, answer.dialect) for output, value in cells])
    return _headers(HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"]), answer)


def as_geojson(answer: Answer) -> HttpResponse:
    """A FeatureCollection: the first selected shape is each feature's geometry, the rest its properties."""
    geometry_output = next((output for output in answer.outputs if output.type in SHAPES), None)
    features = []
    for cells in _cells(answer):
        geometry, properties = None, {}
        for output, value in cells:
            shown = _json_value(output, value, answer.dialect)
            if output is geometry_output:
                geometry = shown
            else:
                properties[output.name] = shown
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    return _headers(HttpResponse(body, content_type=CONTENT_TYPES["geojson"]), answer)


RENDERERS = {"json": as_json, "csv": as_csv, "geojson": as_geojson}
