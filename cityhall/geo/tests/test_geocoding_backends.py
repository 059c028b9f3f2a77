"""The geocoder interface: a Nominatim-compatible server (a stand-in on loopback) and `cityhall streets load`."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from cityhall.catalogue.models import Jurisdiction
from cityhall.geo import geocoding
from cityhall.geo.models import NamedPlace, StreetSegment

pytestmark = pytest.mark.django_db


class StandIn(BaseHTTPRequestHandler):
    """Answers /search and /reverse as Nominatim does (format=jsonv2), and remembers what it was asked."""

    asked: list[tuple[str, dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        StandIn.asked.append((url.path, query))
        main = {"house_number": "1685", "road": "Main Street", "city": "Santa Monica"}
        if url.path == "/search" and query["q"] == ["1685 Main St"]:
            body: object = [
                {"lat": "34.0115", "lon": "-118.4917", "display_name": "1685, Main Street", "address": main}
            ]
        elif url.path == "/search":
            body = [{"lat": "34.0107", "lon": "-118.4960", "name": "Tongva Park", "display_name": "Tongva Park, SM"}]
        elif url.path == "/reverse":
            body = {
                "lat": query["lat"][0],
                "lon": query["lon"][0],
                "display_name": "1685, Main Street",
                "address": main,
            }
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CITYHALL_GEOCODER = "nominatim"
    settings.CITYHALL_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    StandIn.asked = []
    yield StandIn
    server.shutdown()
    server.server_close()


def test_a_nominatim_server_answers_search_and_reverse_through_the_same_interface(nominatim, santa_monica):
    found = geocoding.search(santa_monica, "1685 Main St")
    assert found == [geocoding.Found("1685 Main Street", 34.0115, -118.4917, "address")]
    path, query = nominatim.asked[-1]
    assert path == "/search" and query["bounded"] == ["1"] and query["format"] == ["jsonv2"]
    west, north, east, south = map(float, query["viewbox"][0].split(","))
    assert west < -118.49 < east and south < 34.01 < north  # bounded to the city
    assert geocoding.locate(santa_monica, "tongva").label == "Tongva Park"
    near = geocoding.reverse(santa_monica, 34.0116, -118.4916)
    assert near is not None and geocoding.describe(near) == "near 1685 Main Street"
    assert nominatim.asked[-1][0] == "/reverse"


def test_the_report_form_uses_the_configured_geocoder(nominatim, client, service):
    from cityhall.requests.models import ServiceRequest

    form = {"address": "1685 Main St", "attr_SIZE": "M", "description": "Hole"}
    assert client.post("/report/potholes", form).status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.address, created.lat, created.lng) == ("1685 Main Street", 34.0115, -118.4917)


def test_a_geocoder_that_is_down_places_nothing_and_breaks_nothing(settings, santa_monica):
    settings.CITYHALL_GEOCODER = "nominatim"
    settings.CITYHALL_GEOCODER_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.CITYHALL_GEOCODER_TIMEOUT = 1
    assert geocoding.search(santa_monica, "1685 Main St") == []
    assert geocoding.reverse(santa_monica, 34.0116, -118.4916) is None


def _feature(name, coordinates, ranges=(0, 0, 0, 0), kind="STREET"):
    props = dict(zip(("ADLF", "ADLT", "ADRF", "ADRT"), ranges, strict=True)) | {"FULLNAME": name, "TYPE": kind}
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coordinates}}


def test_the_command_loads_another_citys_streets_and_places(tmp_path, santa_monica):
    town = Jurisdiction.objects.create(jurisdiction_id="smalltown.example", name="Smalltown", boundary={})
    lines = {
        "type": "FeatureCollection",
        "features": [
            _feature("ELM ST", [[-100.0, 40.0], [-100.0, 40.001]], (101, 199, 100, 198)),
            _feature("OAK AVE", [[-100.001, 40.0], [-100.0, 40.0]], (1, 49, 2, 48)),  # split at the junction
            _feature("OAK AVE", [[-100.0, 40.0], [-99.999, 40.0]], (51, 99, 52, 98)),
            _feature("", [[0, 0], [1, 1]]),  # no name: skipped
        ],
    }
    square = [[[-100.0005, 40.0005], [-100.0004, 40.0005], [-100.0004, 40.0006], [-100.0005, 40.0005]]]
    places = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"FAC_NAME": "Town Green", "SITUS_ADDR": "150 Elm St", "TYPE": "park"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    (tmp_path / "lines.geojson.gz").write_bytes(gzip.compress(json.dumps(lines).encode()))
    (tmp_path / "places.geojson").write_text(json.dumps(places))
    out = StringIO()
    call_command(
        "streets", "load", str(tmp_path / "lines.geojson.gz"), "--facilities", str(tmp_path / "places.geojson"),
        "--jurisdiction", "smalltown.example", "--alias", "MAPLE=ELM ST", stdout=out,
    )  # fmt: skip
    assert "3 street segments (3 with address ranges), 1 named places; 1 features skipped" in out.getvalue()
    assert StreetSegment.objects.filter(jurisdiction=town).count() == 3
    assert NamedPlace.objects.get(jurisdiction=town).name == "Town Green"
    house = geocoding.locate(town, "151 Elm Street")
    assert house is not None and house.label == "151 Elm St" and house.lng < -100.0  # odd: the left (west) side
    assert geocoding.locate(town, "elm & oak").label == "Elm St & Oak Ave"
    assert geocoding.locate(town, "town green").kind == "place"
    assert geocoding.locate(town, "151 maple").label == "151 Elm St"  # by its alias
    # Santa Monica's streets are untouched.
    assert geocoding.locate(santa_monica, "1685 Main St") is not None


def test_the_command_refuses_an_unknown_city_or_a_file_that_is_not_geojson(tmp_path, santa_monica):
    (tmp_path / "bad.geojson").write_text('{"type": "Feature"}')
    with pytest.raises(CommandError, match="No jurisdiction"):
        call_command("streets", "load", str(tmp_path / "bad.geojson"), "--jurisdiction", "nowhere.example")
    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        call_command("streets", "load", str(tmp_path / "bad.geojson"), "--jurisdiction", "smgov.net")


def test_the_demo_adds_the_streets_to_a_demo_loaded_before_them(santa_monica, service):
    from cityhall.requests.tests.builders import submit

    submit(service("potholes"))  # a demo database: the catalogue and requests are there
    StreetSegment.objects.all().delete()
    call_command("demo", if_empty=True, stdout=StringIO())
    assert StreetSegment.objects.filter(jurisdiction=santa_monica).count() == 7185
    assert geocoding.locate(santa_monica, "1685 Main St") is not None
