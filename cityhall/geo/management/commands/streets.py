"""`cityhall streets load FILE.geojson [--facilities FILE.geojson] --jurisdiction ID`.

Loads a city's street centerlines (and named places) for address search, replacing what it had.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.catalogue.selectors import jurisdiction_named
from cityhall.geo.geocoding.loading import load_streets, read_geojson


class Command(BaseCommand):
    help = "Load a city's street centerlines (and named places) for the built-in geocoder; see docs/geo.md."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="replace a jurisdiction's streets with those in a GeoJSON file")
        load.add_argument("centerlines", type=Path, help="LineStrings with FULLNAME, TYPE, ADLF/ADLT/ADRF/ADRT")
        load.add_argument("--facilities", type=Path, help="Polygons with FAC_NAME, SITUS_ADDR, TYPE")
        load.add_argument(
            "--alias", action="append", default=[], metavar="ALIAS=NAME", help="e.g. PCH=PALISADES BEACH RD"
        )
        load.add_argument("--jurisdiction", required=True, help="the Open311 jurisdiction_id, e.g. smgov.net")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        jurisdiction = jurisdiction_named(options["jurisdiction"])
        if jurisdiction is None:
            raise CommandError(f"No jurisdiction {options['jurisdiction']!r}: load the catalogue first.")
        aliases = {}
        for pair in options["alias"]:
            alias, _, name = pair.partition("=")
            if not alias.strip() or not name.strip():
                raise CommandError(f"--alias takes ALIAS=NAME, not {pair!r}.")
            aliases[alias.strip()] = name.strip()
        try:
            centerlines = read_geojson(options["centerlines"])
            facilities = read_geojson(options["facilities"]) if options["facilities"] else None
        except (OSError, ValueError) as problem:
            raise CommandError(str(problem)) from problem
        loaded = load_streets(jurisdiction, centerlines, facilities, aliases or None)
        self.stdout.write(
            f"{jurisdiction.name}: {loaded.segments} street segments ({loaded.addressed} with address ranges), "
            f"{loaded.places} named places; {loaded.skipped} features skipped."
        )
