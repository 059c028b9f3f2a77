"""`cityhall jurisdiction create|list`: the city (or county, or agency) requests belong to.

Another city's history needs its own jurisdiction before `cityhall import-requests` can place it:
a point outside the boundary loses its coordinates. Departments and services are then added in
the admin (docs/import.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.geometry import parse_area


class Command(BaseCommand):
    help = "Create or list jurisdictions (a city with its boundary and time zone)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list}")
        create = actions.add_parser(
            "create", help="Create a jurisdiction from a name, an id, a time zone and a boundary."
        )
        create.add_argument("name", help="As residents read it, e.g. 'City of Boston'.")
        create.add_argument(
            "--id",
            required=True,
            dest="jurisdiction_id",
            help="The Open311 jurisdiction_id, usually the city's domain.",
        )
        create.add_argument("--timezone", required=True, help="IANA time zone, e.g. America/New_York.")
        create.add_argument(
            "--boundary",
            required=True,
            type=Path,
            help="GeoJSON file: a Polygon or MultiPolygon (or features of them).",
        )
        actions.add_parser("list", help="List the jurisdictions.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list()
            return
        name, jurisdiction_id = options["name"].strip(), options["jurisdiction_id"].strip()
        if not jurisdiction_id or any(character.isspace() for character in jurisdiction_id):
            raise CommandError("--id: give the jurisdiction_id without spaces, e.g. boston.gov.")
        jurisdiction = Jurisdiction(
            name=name,
            jurisdiction_id=jurisdiction_id,
            timezone=_timezone(options["timezone"]),
            boundary=_boundary(options["boundary"]),
        )
        try:
            jurisdiction.full_clean()
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
            raise CommandError(f"Cannot create the jurisdiction: {problems}") from exc
        jurisdiction.save()
        self.stdout.write(
            f"Created jurisdiction “{jurisdiction.name}” ({jurisdiction.jurisdiction_id}, {jurisdiction.timezone}). "
            "Add its departments and services in the admin, then import with "
            f"`cityhall import-requests FILE.csv --mapping MAPPING.toml --jurisdiction {jurisdiction.jurisdiction_id}`."
        )

    def _list(self) -> None:
        for jurisdiction in Jurisdiction.objects.all():
            services = jurisdiction.services.count()
            self.stdout.write(
                f"{jurisdiction.jurisdiction_id}  {jurisdiction.name}  {jurisdiction.timezone}  {services} services"
            )


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(
            f"--timezone: {name!r} is not a time zone; give an IANA name such as America/New_York."
        ) from None
    return name


def _boundary(path: Path) -> dict[str, Any]:
    """The boundary file as one GeoJSON geometry, refused with what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"--boundary: cannot read {path}: {exc}") from exc
    try:
        geometry = parse_area(json.loads(text))
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"--boundary: {path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    except ValueError as exc:
        raise CommandError(f"--boundary: {path}: {exc}") from exc
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise CommandError(
            f"--boundary: {path} has coordinates outside longitude/latitude degrees. GeoJSON is WGS84 "
            "(EPSG:4326), longitude first: reproject a file in another system first."
        )
    # Stored as one geometry: a FeatureCollection's parts become their union.
    found: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return found
