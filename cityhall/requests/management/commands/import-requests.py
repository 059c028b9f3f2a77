"""`cityhall import-requests FILE.csv --mapping MAPPING.toml`: load another system's request history.

Safe to run again: rows already imported are counted and left alone, so an interrupted run is
finished by running the same command once more.
"""

# The module is named for the command (`cityhall import-requests`), hence not a Python identifier.

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import city_in_message, jurisdiction_ids, jurisdiction_named, jurisdictions
from cityhall.requests.services import (
    CsvExport,
    ImportReport,
    ImportStopped,
    UnreadableFile,
    load_mapping,
    service_requests_import,
)


class Command(BaseCommand):
    help = "Import service requests from a CSV export, translated by a TOML mapping (see santa_monica_mapping.toml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, with a header row).")
        parser.add_argument(
            "--mapping", type=Path, required=True, help="The TOML mapping of the file's columns and words."
        )
        parser.add_argument("--jurisdiction", help="The jurisdiction_id to import into; needed when there are several.")

    def handle(self, *args: Any, file: Path, mapping: Path, jurisdiction: str | None, **options: Any) -> None:
        try:
            rules = load_mapping(mapping)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot use the mapping: {exc}") from exc
        city = _jurisdiction(jurisdiction)
        export = CsvExport(file, rules.delimiter)
        try:
            # The whole file is read once before anything is written: a bad byte or an unreadable
            # stretch anywhere refuses it with its line, and nothing is imported.
            total = export.check()
        except (OSError, UnreadableFile) as exc:
            raise CommandError(f"Cannot read {file}: {exc}. Nothing was imported.") from exc
        missing = [column for column in rules.columns.values() if column not in export.header]
        if missing:
            raise CommandError(
                f"{file} has no column {', '.join(map(repr, missing))} named in {mapping}. "
                f"Its columns are: {', '.join(map(repr, export.header)) or 'none (empty file)'}."
            )
        # tqdm redraws a line with "\r"; Django's wrapper would add a newline to every write.
        stream = getattr(self.stderr, "_out", sys.stderr)
        try:
            with tqdm(total=total, unit=" rows", file=stream, desc="Importing", mininterval=0.5) as bar:
                report = service_requests_import(
                    jurisdiction=city, rows=export.rows(), mapping=rules, on_progress=bar.update
                )
        except ImportStopped as exc:
            # Only if the file changed since the check. Batches before it are committed (each in
            # its own transaction); running again after a fix leaves them alone and does the rest.
            done = exc.report
            raise CommandError(
                f"Cannot read {file} past {exc}. Already written: {done.imported} requests "
                f"({done.rows} rows handled); run the command again once the file is whole."
            ) from exc
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self._summary(report, city)

    def _summary(self, report: ImportReport, city: Jurisdiction) -> None:
        rate = report.rows / report.seconds if report.seconds else 0.0
        self.stdout.write(
            f"Imported {report.imported} requests, {report.unchanged} already present, {report.skipped} skipped "
            f"in {report.seconds:.1f} s ({rate:.0f} rows/s)."
        )
        for reason, count in report.skip_reasons.most_common():
            lines = report.lines.get(reason)
            where = f" (line {', '.join(map(str, lines))}{', …' if count > len(lines) else ''})" if lines else ""
            self.stdout.write(f"  skipped {count:>6}: {reason}{where}")
        for note, count in report.notes.most_common():
            self.stdout.write(f"  note    {count:>6}: {note}")
        if report.mostly_outside:
            share = report.outside / report.located
            self.stderr.write(
                f"WARNING: {report.outside} of {report.located} located rows ({share:.0%}) lie outside "
                f"{city_in_message(city)}'s boundary, so their coordinates were dropped. Is this file from another "
                "city? Create its jurisdiction first (`cityhall jurisdiction create`, docs/import.md), "
                "then import with --jurisdiction.",
                self.style.WARNING,
            )


def _jurisdiction(jurisdiction_id: str | None) -> Jurisdiction:
    if jurisdiction_id:
        found = jurisdiction_named(jurisdiction_id)
        if found is None:
            known = ", ".join(jurisdiction_ids()) or "none yet"
            raise CommandError(f"No jurisdiction {jurisdiction_id!r}; known: {known}.")
        return found
    every = list(jurisdictions()[:2])
    if not every:
        raise CommandError("There is no jurisdiction yet: load a catalogue first (e.g. `cityhall demo --no-history`).")
    if len(every) > 1:
        known = ", ".join(jurisdiction_ids())
        raise CommandError(f"There are several jurisdictions; choose one with --jurisdiction ({known}).")
    return every[0]
