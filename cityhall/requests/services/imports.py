"""Importing another system's request history (a CSV export) as closed or open requests.

Each source speaks its own vocabulary, so a TOML mapping (see import_mapping.py) names its columns and
translates its status, category and department words into ours. Rows are keyed by
(import_source, external_id): running the same file again changes nothing, and a run stopped
half-way picks up where it left off, because each batch is committed on its own.
"""

from __future__ import annotations

import secrets
import time as timer
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import islice
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, router, transaction
from django.db.models import QuerySet

from cityhall.catalogue import policy
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.i18n import every_translation
from cityhall.catalogue.models import Jurisdiction, Service, Zone
from cityhall.core.bulk import insert_rows
from cityhall.core.geometry import valid_coordinates
from cityhall.geo.cells import cell_of
from cityhall.geo.lookup import PointsLocator

from .. import bounds
from ..models import Channel, RequestEvent, ServiceRequest
from ..workflow import DONE, RULES, Need, Resolution, Role, Status, in_english
from .import_dates import strptime_reader
from .import_file import DamagedRow, UnreadableFile
from .import_mapping import MAX_PUBLIC_ID, ImportMapping, match_key
from .import_staging import Staging, staging_tables

_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%X", "%c")
# A date without a time means "that day": noon local time shows the same date in every view.
_DATE_ONLY_AT = time(12)
# PostgreSQL refuses values longer than the column, so rows are checked against the model first.
_MAX_EXTERNAL_ID = bounds.model_length("external_id")
# The columns checked against the request's bounds (cityhall/requests/bounds.py), by bound name.
_BOUNDED = {"description": "description", "address_string": "address", "zipcode": "zipcode"}
_QUERY_CHUNK = 500  # ids per IN (…) query: well under every database's parameter limit
_CACHE_LIMIT = 100_000
_LINES_SHOWN = 5  # lines kept per skip reason, for the person to look at
OUTSIDE = "location outside the city: coordinates dropped"
CLOSING_DATE_IGNORED = "closing date on an open status: ignored"


def _entry_needs() -> dict[Status, frozenset[Need]]:
    """What every way into a status needs, from the workflow's table (assigned: an assignee; on hold: a reason)."""
    needs: dict[Status, frozenset[Need]] = {}
    for rule in RULES:
        if rule.target is not None and rule.target is not rule.source:
            needs[rule.target] = needs[rule.target] & rule.needs if rule.target in needs else rule.needs
    return needs


# A source gives the department and (through the mapping) the resolution, never an assignee or a
# hold reason: a request imported in a state that needs them says so instead of pretending.
_MISSING = {Need.ASSIGNEE: "without an assignee", Need.REASON: "without a reason"}
_UNMET = {
    status: [f"{status} {_MISSING[need]}: the source gives none" for need in sorted(needs & _MISSING.keys())]
    for status, needs in _entry_needs().items()
}
# transition.py asks a referral for the agency it went to; no source column carries it.
REFERRED_WITHOUT_AGENCY = "referred without the agency it went to: the source gives none"


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0  # already present from an earlier run
    skipped: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # kept rows with something dropped or guessed
    seconds: float = 0.0
    lines: dict[str, list[int]] = field(default_factory=dict)  # the first lines of each skip reason, when known
    located: int = 0  # imported rows that came with coordinates
    outside: int = 0  # … of which outside the jurisdiction's boundary (coordinates dropped)

    @property
    def rows(self) -> int:
        return self.imported + self.unchanged + self.skipped

    def skip(self, reason: str, line: int | None = None) -> None:
        self.skipped += 1
        self.skip_reasons[reason] += 1
        if line is not None and len(shown := self.lines.setdefault(reason, [])) < _LINES_SHOWN:
            shown.append(line)

    @property
    def mostly_outside(self) -> bool:
        """Most located rows fell outside the boundary: likely another city's file in this jurisdiction."""
        return self.outside * 2 > self.located


class _Skip(Exception):
    """A row that cannot be imported; the message is the reason shown to the person importing."""


# A row's point (or why it cannot have one), whether the jurisdiction covers it, and its zone.
_Place = tuple["tuple[float, float] | _Skip | None", bool, "Zone | None"]


class _Reader:
    """Everything looked up once per import, and the per-row translation of text into a request."""

    def __init__(self, jurisdiction: Jurisdiction, mapping: ImportMapping) -> None:
        self.jurisdiction, self.mapping, self.tz = jurisdiction, mapping, ZoneInfo(mapping.timezone)
        services = list(catalogue.services_of(jurisdiction))
        by_code = {s.code: s for s in services}
        departments = list(catalogue.departments_of(jurisdiction.pk))
        by_slug = {d.slug: d.pk for d in departments}
        unknown = sorted({c for c in [*mapping.services.values(), mapping.fallback_service] if c and c not in by_code})
        unknown += sorted({s for s in mapping.departments.values() if s and s not in by_slug})
        if unknown:
            raise ValueError(
                f"the mapping names codes/slugs that {catalogue.city_in_message(jurisdiction)} does not have: "
                + ", ".join(unknown)
            )
        # Matched by code, overridden by name (a name wins over another service's code), then the mapping's table.
        # Names in every language, so the language active when the import runs does not matter.
        self.services = {match_key(s.code): s for s in services} | {
            match_key(name): s for s in services for name in every_translation(s, "name")
        }
        self.services |= {name: by_code[code] for name, code in mapping.services.items()}
        self.fallback = by_code.get(mapping.fallback_service)
        # Our channel values and labels match as they are; the mapping's [channels] table wins.
        self.channels = {match_key(in_english(label)): value for value, label in Channel.choices}
        self.channels |= {match_key(value): value for value in Channel.values} | mapping.channels
        self.departments: dict[str, int | None] = {match_key(d.slug): d.pk for d in departments}
        self.departments |= {match_key(d.name): d.pk for d in departments}
        self.departments |= {name: by_slug[slug] if slug else None for name, slug in mapping.departments.items()}
        self.routing = catalogue.routing_table(jurisdiction)
        self.default_department = catalogue.default_departments_in(jurisdiction)
        self.locate = PointsLocator(jurisdiction)
        self._dates: dict[str, datetime] = {}
        self._formats = [
            (fmt, strptime_reader(fmt), any(directive in fmt for directive in _TIME_DIRECTIVES))
            for fmt in mapping.date_formats
        ]
        self.by_pk = {service.pk: service for service in services}

    def text(self, row: Mapping[str, str | None], key: str) -> str:
        column = self.mapping.columns.get(key)
        return (row.get(column) or "").strip() if column else ""

    def build(self, row: Mapping[str, str | None], external_id: str, notes: list[str], place: _Place) -> dict[str, Any]:
        """The request's column values (attnames) for a row; raises _Skip with the reason if it cannot be imported.

        `place` is where the row's point lies, from `places` (looked up for the whole batch).
        """
        columns, mapping = self.mapping.columns, self.mapping
        topic = self.text(row, "service")
        service = self.services.get(match_key(topic))
        if service is None and topic and self.fallback is not None:
            service = self.fallback
            notes.append(f"unknown service {topic!r}: imported as {service.code!r}")
        if service is None:
            raise _Skip(f"unknown service {topic!r}" if topic else f"missing service in {columns['service']!r}")
        word = self.text(row, "status")
        rule = mapping.statuses.get(match_key(word))
        if rule is None:
            raise _Skip(f"unknown status {word!r}" if word else f"missing status in {columns['status']!r}")
        requested = self.when(row, "requested")
        if requested is None:
            raise _Skip(f"missing date in {columns['requested']!r}")
        done = rule.status in DONE
        # An open request needs no closing date; sources put placeholders there (NYC: 01/01/1900).
        closed = self.when(row, "closed") if done else None
        if not done and self.text(row, "closed"):
            notes.append(CLOSING_DATE_IGNORED)
        if closed is not None and closed < requested:
            raise _Skip("closed date before requested date")
        if done and closed is None:
            notes.append("done without a closing date: the requested date used")
        updated = max(filter(None, (requested, closed, self.when(row, "updated"))))
        point, inside, zone = place
        if isinstance(point, _Skip):
            raise point
        if point is not None and not inside:
            notes.append(OUTSIDE)
            point = None
        texts = {name: self.text(row, key) for name, key in _BOUNDED.items()}
        refused = bounds.check(texts)
        if refused:
            name, problem = next(iter(refused.items()))
            raise _Skip(f"{columns[_BOUNDED[name]]!r}: {problem}")
        department = self.department(row, service, zone.pk if zone else None, notes)
        # Ours says "submitted" only for requests no department has yet (the 311 triage queue).
        status = Status.ROUTED if rule.status is Status.SUBMITTED and department is not None else rule.status
        notes.extend(_UNMET.get(status, []))
        if rule.resolution == Resolution.REFERRED:
            notes.append(REFERRED_WITHOUT_AGENCY)
        return {
            "jurisdiction_id": self.jurisdiction.pk,
            "public_id": mapping.id_prefix + external_id,
            "tracking_token": secrets.token_urlsafe(24),
            "service_id": service.pk,
            "description": texts["description"],
            "lat": point[0] if point else None,
            "lng": point[1] if point else None,
            "cell": cell_of(*point) if point else None,
            "address": texts["address_string"],
            "zipcode": texts["zipcode"],
            "zone_id": zone.pk if zone else None,
            "channel": self.channel(row, notes),
            "department_id": department,
            "status": status.value,
            "resolution": rule.resolution,
            "status_note": self.text(row, "resolution_text"),
            "requested_at": requested,
            "updated_at": updated,
            "expected_at": None,  # set for the whole batch by `expect`
            "resolved_at": (closed or requested) if done else None,
            "closed_at": (closed or requested) if status is Status.CLOSED else None,
            "import_source": mapping.source,
            "external_id": external_id,
        }

    def channel(self, row: Mapping[str, str | None], notes: list[str]) -> str:
        word = self.text(row, "channel")
        found = self.channels.get(match_key(word)) if word else Channel.IMPORT.value
        if found is None:
            notes.append(f"unknown channel {word!r}: recorded as imported")
        return found or Channel.IMPORT.value

    def when(self, row: Mapping[str, str | None], key: str) -> datetime | None:
        text = self.text(row, key)
        if not text:
            return None
        found = self._dates.get(text)
        if found is None:
            found = self._parse_date(text)
            if found is None:
                raise _Skip(f"bad date in {self.mapping.columns[key]!r}: {text!r}")
            if len(self._dates) > _CACHE_LIMIT:
                self._dates.clear()
            self._dates[text] = found
        return found

    def _parse_date(self, text: str) -> datetime | None:
        for fmt, read, timed in self._formats:
            try:
                if fmt == "iso":
                    try:
                        value = datetime.combine(date.fromisoformat(text), _DATE_ONLY_AT)
                    except ValueError:
                        value = datetime.fromisoformat(text)
                else:
                    value = read(text)
                    if not timed:
                        value = datetime.combine(value.date(), _DATE_ONLY_AT)
            except ValueError:
                continue
            return (value if value.tzinfo else value.replace(tzinfo=self.tz)).astimezone(UTC)
        return None

    def places(self, rows: list[Mapping[str, str]]) -> list[_Place]:
        """Each row's point (or why it has none), whether the jurisdiction covers it, and its zone."""
        points: list[tuple[float, float] | _Skip | None] = []
        for row in rows:
            try:
                points.append(self.point(row))
            except _Skip as skip:
                points.append(skip)
        located = iter(self.locate([point for point in points if isinstance(point, tuple)]))
        return [(point, *next(located)) if isinstance(point, tuple) else (point, False, None) for point in points]

    def point(self, row: Mapping[str, str | None]) -> tuple[float, float] | None:
        lat_text, lng_text = self.text(row, "lat"), self.text(row, "long")
        if not lat_text and not lng_text:
            return None
        if not (lat_text and lng_text):
            raise _Skip("latitude without longitude" if lat_text else "longitude without latitude")
        lat, lng = self.number(lat_text, "lat"), self.number(lng_text, "long")
        if not valid_coordinates(lat, lng):
            raise _Skip(f"coordinates out of range: {lat_text}, {lng_text}")
        return lat, lng

    def number(self, text: str, key: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise _Skip(f"bad coordinate in {self.mapping.columns[key]!r}: {text!r}") from None

    def department(
        self, row: Mapping[str, str | None], service: Service, zone_id: int | None, notes: list[str]
    ) -> int | None:
        name = self.text(row, "department")
        if name:
            key = match_key(name)
            if key not in self.departments:
                notes.append(f"unknown department {name!r}: the service's default used")
            elif (found := self.departments[key]) is not None:
                return found
        # The same rule as a new request: a routing rule for (service, zone), then the service's default.
        return self.routing.get((service.pk, zone_id)) or self.default_department[service.pk]

    def expect(self, built: list[dict[str, Any]]) -> None:
        """Set each built request's expected-by date, from today's SLA and the business calendar.

        Computed for a batch's requests of the same SLA at once: a big city's timestamps run
        to the second, so no two rows share a start, and one at a time was a third of the mapping.
        """
        # What expected_by reads of a service is its SLA: services with the same SLA go together.
        by_sla: dict[int | None, list[dict[str, Any]]] = {}
        for values in built:
            by_sla.setdefault(self.by_pk[values["service_id"]].sla_hours, []).append(values)
        for group in by_sla.values():
            service = self.by_pk[group[0]["service_id"]]
            starts = [values["requested_at"] for values in group]
            for values, expected in zip(
                group, policy.expected_by_each(self.jurisdiction, service, starts), strict=True
            ):
                values["expected_at"] = expected


class ImportStopped(Exception):
    """The rows could not be read to the end; `report` says what had been written before."""

    def __init__(self, cause: UnreadableFile, report: ImportReport) -> None:
        super().__init__(str(cause))
        self.line, self.report = cause.line, report


Row = Mapping[str, str] | DamagedRow


def service_requests_import(
    *,
    jurisdiction: Jurisdiction,
    rows: Iterable[Row],
    mapping: ImportMapping,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
    staging: bool | None = None,
) -> ImportReport:
    """Import rows (e.g. a csv.DictReader) as requests of `jurisdiction`; return what happened.

    Rows already imported from this source are left alone; a bad row (or a DamagedRow from
    import_file.CsvExport) is skipped whole, with its reason. Each batch of `batch_size` rows is
    written in one transaction, with its events. `on_progress` is called after each batch with
    the number of rows it handled.
    `staging` chooses how batches are written: through staging tables with COPY (True: PostgreSQL
    only; import_staging.py) or with INSERTs (False); by default COPY where the database has it.
    Both write the same rows and report the same reasons.
    Raises ValueError (before writing anything) if the mapping names codes the jurisdiction lacks,
    or staging is asked of a database without COPY, and ImportStopped, with the report so far, if
    the rows stop with an UnreadableFile.
    """
    started = timer.monotonic()
    reader = _Reader(jurisdiction, mapping)
    postgres = connections[router.db_for_write(ServiceRequest)].vendor == "postgresql"
    if staging and not postgres:
        raise ValueError("COPY through staging tables needs PostgreSQL")
    report = ImportReport()
    seen: set[str] = set()
    iterator: Iterator[Row] = iter(rows)
    with staging_tables() if (postgres if staging is None else staging) else nullcontext() as tables:
        while True:
            try:
                batch = list(islice(iterator, batch_size))
            except UnreadableFile as exc:
                report.seconds = timer.monotonic() - started
                raise ImportStopped(exc, report) from exc
            if not batch:
                break
            _import_batch(reader, batch, seen, report, tables)
            report.seconds = timer.monotonic() - started
            if on_progress is not None:
                on_progress(len(batch))
    report.seconds = timer.monotonic() - started
    return report


def _import_batch(
    reader: _Reader, rows: list[Row], seen: set[str], report: ImportReport, staging: Staging | None
) -> None:
    mapping = reader.mapping
    batch: list[Mapping[str, str]] = []
    for row in rows:
        if isinstance(row, DamagedRow):
            report.skip(row.reason, row.line)
        else:
            batch.append(row)
    ids = [reader.text(row, "id") for row in batch]
    if staging is None:
        present: Collection[str] = _existing(_imported_from(mapping.source), "external_id", ids)
    else:
        present = staging.present(mapping.source, ids)
    wanted: list[tuple[Mapping[str, str], str]] = []
    for row, external_id in zip(batch, ids, strict=True):
        if not external_id:
            report.skip(f"missing id in {mapping.columns['id']!r}")
            continue
        if external_id in seen:
            report.skip("duplicate id in the file (the first row was used)")
            continue
        seen.add(external_id)
        if external_id in present:
            report.unchanged += 1
        elif len(external_id) > _MAX_EXTERNAL_ID or len(mapping.id_prefix + external_id) > MAX_PUBLIC_ID:
            report.skip(f"id longer than {min(_MAX_EXTERNAL_ID, MAX_PUBLIC_ID - len(mapping.id_prefix))} characters")
        else:
            wanted.append((row, external_id))
    built: list[tuple[dict[str, Any], list[str]]] = []
    for (row, external_id), place in zip(wanted, reader.places([row for row, _ in wanted]), strict=True):
        notes: list[str] = []
        try:
            built.append((reader.build(row, external_id, notes, place), notes))
        except _Skip as skip:
            report.skip(str(skip))
    if not built:
        return
    reader.expect([values for values, _ in built])
    with transaction.atomic(using=router.db_for_write(ServiceRequest)):
        if staging is None:
            taken = _insert(built, mapping.source)
        else:
            names = list(built[0][0])
            in_order = itemgetter(*names)
            taken = staging.write(names, [(in_order(values), _arrival_note(notes)) for values, notes in built])
    # Rows of this source were set aside above, so a public id in use belongs to another request.
    for values, notes in built:
        if values["public_id"] in taken:
            report.skip("public id taken")
        else:
            report.imported += 1
            report.notes.update(notes)
            report.outside += OUTSIDE in notes
            report.located += OUTSIDE in notes or values["lat"] is not None


def _insert(built: list[tuple[dict[str, Any], list[str]]], source: str) -> set[str]:
    """Write requests and their events with one INSERT … VALUES per table; return the public ids found taken."""
    taken = _existing(ServiceRequest.objects.all(), "public_id", [values["public_id"] for values, _ in built])
    kept = [(values, notes) for values, notes in built if values["public_id"] not in taken]
    if kept:
        insert_rows(ServiceRequest, [values for values, _ in kept])
        external_ids = [values["external_id"] for values, _ in kept]
        pks = _existing(_imported_from(source), "external_id", external_ids, "pk")
        events = [
            event | {"request_id": pks[values["external_id"]]}
            for values, notes in kept
            for event in _events(values, notes)
        ]
        insert_rows(RequestEvent, events)
    return set(taken)


def _imported_from(source: str) -> QuerySet[ServiceRequest]:
    # The unique index on (import_source, external_id) is partial (WHERE NOT import_source = ''):
    # SQLite uses it only when the query repeats that condition; otherwise it scans the table.
    return ServiceRequest.objects.filter(import_source=source).exclude(import_source="")


def _existing(queryset: Any, field_name: str, values: list[str], also: str | None = None) -> dict[str, Any]:
    """Which of `values` the queryset has in `field_name` (mapped to the `also` field if given), in chunks."""
    found: dict[str, Any] = {}
    wanted = sorted(set(values) - {""})
    for start in range(0, len(wanted), _QUERY_CHUNK):
        lookup = {f"{field_name}__in": wanted[start : start + _QUERY_CHUNK]}
        found.update(queryset.filter(**lookup).order_by().values_list(field_name, also or field_name))
    return found


def _events(service_request: dict[str, Any], notes: list[str]) -> list[dict[str, Any]]:
    """The timeline of an imported request: its arrival, then the status the source says it reached.

    The source tells where a request stands, not each step it took, so one event records the jump
    (no action: it was not taken here) and the timeline never hides how it left "submitted".
    The import's notes on the row go on its arrival, for staff; the source's resolution text is
    the public note of the last event. The events come without `request_id`: the writer knows it.
    """
    system = {"actor_role": Role.SYSTEM.value}
    events = [
        system
        | {
            "created_at": service_request["requested_at"],
            "kind": RequestEvent.Kind.IMPORTED.value,
            "to_status": Status.SUBMITTED.value,
            "internal_note": _arrival_note(notes),
            "data": {"source": service_request["import_source"], "external_id": service_request["external_id"]},
        }
    ]
    if service_request["resolved_at"] is not None:
        events.append(
            system
            | {
                "created_at": service_request["resolved_at"],
                "kind": RequestEvent.Kind.TRANSITION.value,
                "action": "close" if service_request["status"] == Status.CLOSED else "resolve",
                "from_status": Status.SUBMITTED.value,
                "to_status": service_request["status"],
                "data": {"resolution": service_request["resolution"]},
            }
        )
    elif service_request["status"] != Status.SUBMITTED:
        events.append(
            system
            | {
                "created_at": service_request["updated_at"],
                "kind": RequestEvent.Kind.TRANSITION.value,
                "from_status": Status.SUBMITTED.value,
                "to_status": service_request["status"],
                "data": {"source_status": "imported"},
            }
        )
    events[-1]["public_note"] = service_request["status_note"]
    return events


def _arrival_note(notes: list[str]) -> str:
    """The internal note of an imported request's arrival: the import's notes on its row, for staff."""
    return "\n".join(f"Import: {note}." for note in notes)
