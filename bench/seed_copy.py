"""A big city's history in minutes: requests and their events streamed into PostgreSQL with COPY.

    ./tools/with-postgres .venv/bin/python -m bench.seed_copy --requests 10000000

Grows the database to `--requests` requests (migrating it and loading the Santa Monica catalogue
first if needed): each run adds only what is missing, so one cluster goes 100,000 → 1,000,000 →
10,000,000 and each size is measured on the same machine in the same run (bench/big_city.py).

The rows are drawn as a city's 15 years would leave them: services weighted as in the real history
(graffiti and refuse dominate), places inside the city boundary (a pool of addresses, each with its
H3 cell and neighbourhood, repeated as real addresses are), statuses by age (last fortnight's mostly
open, older ones closed but for a thin backlog), and the events each status implies, as the
requests app writes them: the submission, the routing to the service's department, the step to the
status it stands in, and for finished ones the resolution and the closure. Each run's rows are stored
oldest first, as a city's table grows.

For speed, as any bulk load: secondary indexes are dropped during the COPY and built again after
(sorting once is far cheaper than 10 million random insertions), foreign-key triggers are skipped
(`session_replication_role = replica`: the rows are drawn from the catalogue's own ids), and ids are
assigned here and the sequences moved past them. PostgreSQL only; prints rows/s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from bisect import bisect
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate
from typing import Any

YEARS = 15
CHUNK = 200_000
DRAWING = 2  # processes drawing rows
EVENTS_AT_MOST = 5  # per request: submitted, routed, resolved, closed (4); one spare
ADDRESSES = 200_000

# Age in days → chance a request is still open: most of the last fortnight's, a thin backlog after.
FRESH_OPEN, FRESH_DAYS, YEAR_BACKLOG, OLD_BACKLOG = 0.55, 14.0, 0.02, 0.002
OPEN_MIX = {"submitted": 10, "routed": 35, "assigned": 25, "in_progress": 20, "on_hold": 10}
RESOLUTION_MIX = {"fixed": 80, "duplicate": 7, "referred": 5, "no_action": 5, "cannot_fix": 3}
CHANNEL_MIX = {"web": 40, "phone": 35, "open311": 15, "walk_in": 5, "api": 5}
DAYS_TO_RESOLVE, DAYS_TO_CLOSE = 4.0, 3.0


@dataclass(frozen=True)
class CatalogueService:
    id: int
    department_id: int | None
    sla_hours: int | None
    weight: int


class Weighted:
    """Draws values by weight, many at once (random.choices with the sums computed once)."""

    def __init__(self, mix: dict[str, int] | list[tuple[Any, float]]) -> None:
        pairs = list(mix.items()) if isinstance(mix, dict) else mix
        self.values = [value for value, _ in pairs]
        self.sums = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random, count: int) -> list[Any]:
        return rng.choices(self.values, cum_weights=self.sums, k=count)

    def one(self, rng: random.Random) -> Any:
        return self.values[bisect(self.sums, rng.random() * self.sums[-1])]


def addresses(boundary: Any, zones: list[tuple[int, Any]], count: int, rng: random.Random) -> list[str]:
    """`count` points inside the city, each as its COPY fields: lat, lng, H3 cell, zone id."""
    import shapely

    from cityhall.geo.cells import cell_of

    min_x, min_y, max_x, max_y = boundary.bounds
    found: list[str] = []
    while len(found) < count:
        xs = [rng.uniform(min_x, max_x) for _ in range(count)]
        ys = [rng.uniform(min_y, max_y) for _ in range(count)]
        inside = shapely.contains_xy(boundary, xs, ys)
        zone_of = [""] * count
        for zone_id, area in zones:
            for index, hit in enumerate(shapely.contains_xy(area, xs, ys)):
                if hit and not zone_of[index]:
                    zone_of[index] = str(zone_id)
        for x, y, keep, zone in zip(xs, ys, inside, zone_of, strict=True):
            if keep and len(found) < count:
                found.append(f"{y:.6f}\t{x:.6f}\t{cell_of(y, x)}\t{zone or NULL}")
    return found


NULL = r"\N"
REQUEST_COLUMNS = [
    "id",
    "public_id",
    "tracking_token",
    "service_id",
    "department_id",
    "status",
    "resolution",
    "requested_at",
    "updated_at",
    "expected_at",
    "resolved_at",
    "closed_at",
    "channel",
    "lat",
    "lng",
    "cell",
    "zone_id",
    "jurisdiction_id",
    "description",
    "attributes",
    "address",
    "address_id",
    "zipcode",
    "location_description",
    "media_url",
    "report_photo",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "language",
    "api_client",
    "device_id",
    "account_id",
    "batch_token",
    "priority",
    "status_note",
    "hold_reason",
    "referred_to",
    "referral_url",
    "support_count",
    "import_source",
    "external_id",
]
EVENT_COLUMNS = [
    "id",
    "request_id",
    "created_at",
    "kind",
    "action",
    "actor_role",
    "from_status",
    "to_status",
    "public_note",
    "internal_note",
    "data",
]


def stamp(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat()


@dataclass(frozen=True)
class City:
    """What every chunk draws from: the catalogue's services, the address pool, the present moment."""

    services: list[CatalogueService]
    places: list[str]
    now: float
    jurisdiction_id: int


_city: City | None = None  # set once in each drawing process


def _set_city(city: City) -> None:
    global _city
    _city = city


def draw_in_worker(seed: int, first_id: int, first_event_id: int, moments: list[float]) -> tuple[str, str, int]:
    """draw_chunk in a drawing process, joined into two COPY texts (one string each pickles fast)."""
    assert _city is not None
    requests, events = draw_chunk(random.Random(seed), first_id, first_event_id, moments, _city)
    return "".join(requests), "".join(events), len(events)


def draw_chunk(
    rng: random.Random, first_id: int, first_event_id: int, moments: list[float], city: City
) -> tuple[list[str], list[str]]:
    """A request for each moment (ids from first_id, in the moments' order) and its events, as COPY lines."""
    services, places, now, _jurisdiction_id, count = (
        city.services,
        city.places,
        city.now,
        city.jurisdiction_id,
        len(moments),
    )
    pick_service = Weighted([(service, service.weight) for service in services])
    open_status, resolution, channel = Weighted(OPEN_MIX), Weighted(RESOLUTION_MIX), Weighted(CHANNEL_MIX)
    chosen = pick_service.draw(rng, count)
    spots = rng.choices(places, k=count)
    channels = channel.draw(rng, count)
    # The columns every seeded request shares, from jurisdiction_id on (empty texts, no reporter).
    tail = f"\t{city.jurisdiction_id}\tSeeded request\t{{}}" + "\t" * 14 + "\t2" + "\t" * 4 + "\t0\t\t"
    requests: list[str] = []
    events: list[str] = []
    event_id = first_event_id
    for offset in range(count):
        request_id = first_id + offset
        at, service = moments[offset], chosen[offset]
        age_days = (now - at) / 86_400
        open_chance = FRESH_OPEN * math.exp(-age_days / FRESH_DAYS) + (YEAR_BACKLOG if age_days < 365 else OLD_BACKLOG)
        resolved = closed = step = None
        resolved_as = ""
        # Nothing happens after now: a request whose resolution would fall later is still open.
        if rng.random() >= open_chance and (done := at + rng.expovariate(1 / DAYS_TO_RESOLVE) * 86_400) < now:
            resolved = done
            closed = resolved + rng.expovariate(1 / DAYS_TO_CLOSE) * 86_400
            status = "closed" if closed < now else "resolved"
            closed = closed if status == "closed" else None
            resolved_as = resolution.one(rng)
        else:
            status = open_status.one(rng)
        if service.department_id is None and resolved is None:
            status = "submitted"  # no department to route it to: it waits in triage
        department = NULL if status == "submitted" or service.department_id is None else str(service.department_id)
        expected = stamp(at + service.sla_hours * 3600) if service.sla_hours else NULL
        submitted = stamp(at)
        timeline = [f'{submitted}\tsubmitted\t\trequester\t\tsubmitted\t\t\t{{"channel": "{channels[offset]}"}}']
        if status != "submitted":
            timeline.append(f"{submitted}\ttransition\troute\tsystem\tsubmitted\trouted\t\t\t{{}}")
        if resolved is not None:
            note = "Fixed." if resolved_as == "fixed" else ""
            data = json.dumps({"resolution": resolved_as})
            timeline.append(f"{stamp(resolved)}\ttransition\tresolve\tstaff\trouted\tresolved\t{note}\t\t{data}")
            if closed is not None:
                timeline.append(f"{stamp(closed)}\ttransition\tclose\tsystem\tresolved\tclosed\t\t\t{{}}")
        elif status not in ("submitted", "routed"):
            step = at + rng.uniform(0, min(2 * 86_400, now - at))
            timeline.append(f"{stamp(step)}\ttransition\t\tstaff\trouted\t{status}\t\t\t{{}}")
        last = closed or resolved or step or at
        for line in timeline:
            events.append(f"{event_id}\t{request_id}\t{line}\n")
            event_id += 1
        requests.append(
            f"{request_id}\tS{request_id:09d}\tseed-{request_id:012d}\t{service.id}\t{department}\t{status}\t"
            f"{resolved_as}\t{submitted}\t{stamp(last)}\t{expected}\t"
            f"{stamp(resolved) if resolved else NULL}\t{stamp(closed) if closed else NULL}\t{channels[offset]}\t"
            f"{spots[offset]}{tail}\n"
        )
    return requests, events


def _weight(code: str, sla_hours: int | None) -> int:
    """As bench/seed.py weighs services like the real history: graffiti and refuse dominate."""
    return 20 if code.startswith("graffiti") else 5 if sla_hours else 1


def secondary_indexes(cursor: Any, tables: list[str]) -> list[tuple[str, str, str]]:
    """(table, name, CREATE statement) of each index on these tables that backs no constraint."""
    cursor.execute(
        "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND i.indexname NOT IN (SELECT c.conname FROM pg_constraint c WHERE c.conindid <> 0)",
        [tables],
    )
    return list(cursor.fetchall())


def grow(target: int, *, seed: int = 7) -> int:
    """Add requests until there are `target`; returns how many were added."""
    import psycopg
    import shapely
    from django.conf import settings

    from cityhall.catalogue.models import Service, Zone
    from cityhall.core.geometry import parse_area
    from cityhall.requests.models import RequestEvent, ServiceRequest

    from .seed import prepared_city

    jurisdiction = prepared_city(0)
    have = ServiceRequest.objects.count()
    if have >= target:
        return 0
    services = [
        CatalogueService(s.pk, s.default_department_id, s.sla_hours, _weight(s.code, s.sla_hours))
        for s in Service.objects.filter(jurisdiction=jurisdiction, active=True)
    ]
    zones = [(zone.pk, parse_area(zone.geometry)) for zone in Zone.objects.filter(jurisdiction=jurisdiction)]
    for _, area in zones:
        shapely.prepare(area)
    boundary = parse_area(jurisdiction.boundary)
    shapely.prepare(boundary)
    rng = random.Random(seed + have)
    now = time.time()
    city = City(services, addresses(boundary, zones, ADDRESSES, rng), now, jurisdiction.pk)
    # The whole run's moments, drawn over 15 years and stored oldest first: the grown table holds a
    # denser city (one more time-ordered run of rows), not a longer history.
    start = now - YEARS * 365.25 * 86_400
    moments = sorted(rng.uniform(start, now) for _ in range(target - have))
    db = settings.DATABASES["default"]
    requests_table, events_table = ServiceRequest._meta.db_table, RequestEvent._meta.db_table
    added = event_count = 0
    began = time.perf_counter()
    connect = partial(
        psycopg.connect, dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
    )
    with (
        # Requests and events are copied side by side on two connections, while two processes draw
        # the next chunks: Python and both PostgreSQL backends work at once.
        connect() as conn,
        connect() as events_conn,
        conn.cursor() as cursor,
        events_conn.cursor() as events_cursor,
        ThreadPoolExecutor(max_workers=1) as beside,
        ProcessPoolExecutor(max_workers=DRAWING, initializer=_set_city, initargs=(city,)) as drawing,
    ):
        for each in (cursor, events_cursor):
            each.execute("SET session_replication_role = replica")
            each.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {requests_table}")
        next_id = cursor.fetchone()[0] + 1  # type: ignore[index]
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {events_table}")
        first_event = cursor.fetchone()[0] + 1  # type: ignore[index]
        indexes = secondary_indexes(cursor, [requests_table, events_table])
        for _, name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        conn.commit()
        # Event ids must follow each other across chunks, but a chunk's event count is known only once
        # drawn: each chunk takes a block of ids wide enough for its most eventful requests (5 each),
        # and the gaps between blocks are harmless (ids are only unique and increasing).
        offsets = list(range(0, len(moments), CHUNK))

        def draw(offset: int) -> Future[tuple[str, str, int]]:
            ids = next_id + offset
            slice_ = moments[offset : offset + CHUNK]
            return drawing.submit(
                draw_in_worker, seed * 1_000_003 + ids, ids, first_event + offset * EVENTS_AT_MOST, slice_
            )

        # A few chunks ahead at most: the next ones drawn while this one is copied, and memory stays flat.
        ahead = deque(draw(offset) for offset in offsets[: DRAWING + 1])
        waiting = deque(offsets[DRAWING + 1 :])
        while ahead:
            chunk = ahead.popleft()
            if waiting:
                ahead.append(draw(waiting.popleft()))
            request_text, event_text, events_drawn = chunk.result()
            events_copied = beside.submit(_copy, events_cursor, events_table, EVENT_COLUMNS, event_text)
            _copy(cursor, requests_table, REQUEST_COLUMNS, request_text)
            events_copied.result()
            added, event_count = added + request_text.count("\n"), event_count + events_drawn
            rate = (added + event_count) / (time.perf_counter() - began)
            print(f"  {have + added:,} requests (+{event_count:,} events): {rate:,.0f} rows/s", flush=True)
        copied = time.perf_counter() - began
        built_beside = beside.submit(_build, events_cursor, [sql for table, _, sql in indexes if table == events_table])
        _build(cursor, [sql for table, _, sql in indexes if table != events_table])
        built_beside.result()
        for table in (requests_table, events_table):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
        built = time.perf_counter() - began - copied
        conn.autocommit = True
        cursor.execute(f"VACUUM ANALYZE {requests_table}")
        cursor.execute(f"VACUUM ANALYZE {events_table}")
    total = time.perf_counter() - began
    print(
        f"seeded {added:,} requests and {event_count:,} events in {total:.0f} s "
        f"(COPY {copied:.0f} s at {(added + event_count) / copied:,.0f} rows/s; "
        f"{len(indexes)} indexes rebuilt in {built:.0f} s; vacuum and analyze {total - copied - built:.0f} s)",
        flush=True,
    )
    return added


def _copy(cursor: Any, table: str, columns: list[str], text: str) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for start in range(0, len(text), 1 << 20):
            copy.write(text[start : start + (1 << 20)])
    cursor.connection.commit()


def _build(cursor: Any, statements: list[str]) -> None:
    for statement in statements:
        cursor.execute(statement)
        cursor.connection.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    grow(args.requests)


if __name__ == "__main__":
    main()
