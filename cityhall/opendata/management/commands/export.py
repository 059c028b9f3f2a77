"""`cityhall export DATASET --format parquet|csv --out FILE [--internal]`: a dataset to a file, for the warehouse.

Without --internal it writes exactly the public download. With it, the fields the public never sees
(reporter contact, internal notes, private services: cityhall/opendata/internal.py), logged as taken
by the system user who ran the command, as the staff workspace logs its exports.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.opendata.downloads import FORMATS
from cityhall.opendata.downloads import pieces as public_pieces
from cityhall.opendata.models import DataExport
from cityhall.opendata.registry import UnknownDataset, dataset, datasets
from cityhall.opendata.services import EXPORT_FORMATS, dataset_export


class Command(BaseCommand):
    help = "Write a dataset (id or slug) to a CSV or Parquet file; --internal adds what the public never sees."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", help="A dataset id (r311-sreq) or slug (service-requests).")
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="parquet")
        parser.add_argument("--out", required=True, type=Path, help="The file to write.")
        parser.add_argument("--internal", action="store_true", help="Include personal and internal fields (logged).")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = _find(options["dataset"])
        file_format = options["format"]
        if options["internal"]:
            pieces = dataset_export(chosen, file_format=file_format, via=DataExport.Via.COMMAND, who=_operator())
        else:
            pieces = public_pieces(chosen, FORMATS[file_format])
        out: Path = options["out"]
        written = 0
        with out.open("wb") as target:
            for piece in pieces:
                written += target.write(piece)
        self.stdout.write(f"{chosen.id}: {written:,} bytes of {file_format} written to {out}.")


def _find(name: str) -> Any:
    try:
        return dataset(name)
    except UnknownDataset:
        for candidate in datasets():
            if candidate.slug == name:
                return candidate
        known = ", ".join(f"{d.id} ({d.slug})" for d in datasets())
        raise CommandError(f"No dataset {name!r}. Datasets: {known}.") from None


def _operator() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except OSError:
        return "command line"
