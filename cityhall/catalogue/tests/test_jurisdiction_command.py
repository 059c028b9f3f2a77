"""`cityhall jurisdiction create|list`: another city from a name, an id, a time zone and a GeoJSON boundary."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityhall.catalogue.models import Jurisdiction
from cityhall.geo.lookup import jurisdiction_contains

NYC_BOUNDARY = Path(__file__).resolve().parents[2] / "requests" / "tests" / "fixtures" / "nyc_boundary.geojson"


def jurisdiction(*args: str) -> str:
    out = io.StringIO()
    call_command("jurisdiction", *args, stdout=out)
    return out.getvalue()


def create(boundary: Path = NYC_BOUNDARY, name: str = "New York City", *options: str) -> str:
    return jurisdiction(
        "create", name, "--id=nyc.gov", "--timezone=America/New_York", f"--boundary={boundary}", *options
    )


def test_create_makes_a_jurisdiction_whose_boundary_is_the_files_features(santa_monica):
    out = create()

    assert out.startswith("Created jurisdiction “New York City” (nyc.gov, America/New_York).")
    assert "--jurisdiction nyc.gov" in out
    city = Jurisdiction.objects.get(jurisdiction_id="nyc.gov")
    assert (city.name, city.timezone) == ("New York City", "America/New_York")
    assert city.boundary["type"] == "Polygon"  # the two boxes of the FeatureCollection, as one area
    assert jurisdiction_contains(city, 40.7128, -74.0060)  # Manhattan
    assert jurisdiction_contains(city, 40.5936, -74.0013)  # Brooklyn, in the second feature
    assert not jurisdiction_contains(city, 34.0115, -118.4917)  # Santa Monica
    assert "nyc.gov  New York City  America/New_York  0 services" in jurisdiction("list")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "boundary.geojson"
    path.write_text(text)
    return path


# New York's State Plane (feet), as city GIS departments often publish it: not degrees.
PROJECTED = {
    "type": "Polygon",
    "coordinates": [[[913000, 120000], [1067000, 120000], [1067000, 273000], [913000, 120000]]],
}


@pytest.mark.parametrize(
    ("boundary", "name", "options", "message"),
    [
        (None, "New York City", ["--timezone=Mars/Olympus"], "'Mars/Olympus' is not a time zone"),
        ("missing", "New York City", [], "--boundary: cannot read"),
        ('{"type": "Polygon",', "New York City", [], r"is not JSON \(line 1, column 20"),
        ('{"type": "Point", "coordinates": [-74, 40.7]}', "New York City", [], "Expected a GeoJSON Polygon"),
        (json.dumps(PROJECTED), "New York City", [], "outside longitude/latitude degrees"),
        (None, "  ", [], "name: This field cannot be blank"),
        (None, "New York City", ["--id=new york"], "--id: give the jurisdiction_id without spaces"),
        (None, "New York City", ["--id=smgov.net"], "jurisdiction_id: City with this Open311 jurisdiction ID"),
    ],
)
def test_create_refuses_bad_input_clearly_and_creates_nothing(santa_monica, tmp_path, boundary, name, options, message):
    if boundary is None:
        path = NYC_BOUNDARY
    elif boundary == "missing":
        path = tmp_path / "missing.geojson"
    else:
        path = write(tmp_path, boundary)
    before = list(Jurisdiction.objects.values_list("pk", "name", "jurisdiction_id"))

    with pytest.raises(CommandError, match=message):
        create(path, name, *options)

    assert list(Jurisdiction.objects.values_list("pk", "name", "jurisdiction_id")) == before
