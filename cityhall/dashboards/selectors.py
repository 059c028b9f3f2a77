"""The dashboards' metrics, read from the rollups (definitions in docs/dashboards.md).

Every function takes validated, access-scoped Filters (filters.py, access.py) and returns plain
rows the views draw, tabulate and export alike.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import Q, QuerySet, Sum

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.i18n import all_languages
from cityhall.catalogue.models import Department, Service, Zone
from cityhall.requests import selectors as requests

from .buckets import bucket_of, percentile
from .filters import Filters
from .models import MONTHLY, DurationRollup, MonthlyRollup, RequestFact, Rollup
from .readings import share
from .services.rollups import city_timezone

# Backlog age buckets: (label, youngest age in days, oldest age in days or None).
AGE_BUCKETS = (("0–2", 0, 2), ("3–7", 3, 7), ("8–30", 8, 30), ("31–90", 31, 90), ("90+", 91, None))


def has_data() -> bool:
    return Rollup.objects.exists()


def _cells(model: type[Any], filters: Filters, *, with_period: bool = True, day: str = "day") -> QuerySet[Any]:
    """The rows of a rollup (or, naming its `day` column, the facts) that the filters select."""
    rows: QuerySet[Any] = model.objects.order_by()
    if with_period:
        rows = rows.filter(**{f"{day}__gte": filters.start, f"{day}__lte": filters.end})
    if filters.department is not None:
        rows = rows.filter(department_id=filters.department.pk)
    if filters.service is not None:
        rows = rows.filter(service_id=filters.service.pk)
    if filters.group is not None:
        rows = rows.filter(service_id__in=catalogue.services_in_group(filters.group).values("pk"))
    if filters.zone is not None:
        rows = rows.filter(zone_id=filters.zone.pk)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.public_only:
        rows = rows.filter(service_id__in=catalogue.public_services().values("pk"))
    return rows


# --- Whole months from the monthly tables ---
# A period's whole months are read from the monthly rollups (one row per month and cell instead of
# one per day), and only the days before its first whole month and after its last one from the
# daily tables: a year by month reads some thirty times fewer rows. The parts are one query
# (UNION ALL of each part's sums), merged here by key.


def spans(start: date, end: date) -> list[tuple[date, date, bool]]:
    """The period as (first day, last day, whole months?) parts: the days before its first whole
    month, its whole months, the days after its last whole month (each part only if not empty)."""
    first_whole = start if start.day == 1 else _next_month(start)
    after_whole = end + timedelta(days=1) if (end + timedelta(days=1)).day == 1 else end.replace(day=1)
    if first_whole >= after_whole:
        return [(start, end, False)]
    parts = [(start, first_whole - timedelta(days=1), False)] if start < first_whole else []
    parts.append((first_whole, after_whole - timedelta(days=1), True))
    if after_whole <= end:
        parts.append((after_whole, end, False))
    return parts


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def summed(
    model: type[Any],
    filters: Filters,
    keys: Sequence[str],
    sums: dict[str, Sum],
    where: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda rows: rows,
    *,
    by_month: bool = True,
) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """{keys: sums} of a daily rollup's rows in the period, its whole months read from its monthly
    table (by_month) in the same query. With "day" among the keys, a whole month's rows come under
    its first day."""
    parts = spans(filters.start, filters.end) if by_month else [(filters.start, filters.end, False)]
    queries = [
        where(_cells(MONTHLY[model] if monthly else model, replace(filters, start=first, end=last)))
        .values(*keys)
        .annotate(**sums)
        .values_list(*keys, *sums)
        for first, last, monthly in parts
    ]
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    found: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for row in rows:
        key, values = tuple(row[: len(keys)]), tuple(value or 0 for value in row[len(keys) :])
        before = found.get(key)
        found[key] = values if before is None else tuple(a + b for a, b in zip(before, values, strict=True))
    return found


@dataclass(frozen=True)
class VolumePoint:
    period: date
    received: int
    closed: int
    received_last_year: int
    closed_last_year: int


def volume(filters: Filters) -> list[VolumePoint]:
    """Received and closed per day, week (from Monday) or month, beside the same period a year before."""
    now = _volume(filters)
    before = _volume(filters.shifted_a_year_back())
    first = _period_start(filters.start, filters.grain)
    periods = sorted(p for p in set(now) | {_period_start(_a_year_on(p), filters.grain) for p in before} if p >= first)
    return [VolumePoint(p, *now.get(p, (0, 0)), *_last_year(before, p, filters.grain)) for p in periods]


def _last_year(before: dict[date, tuple[int, int]], period: date, grain: str) -> tuple[int, int]:
    """The counts of the period a year earlier (weeks: the week holding the same date a year back)."""
    return before.get(_period_start(_a_year_back(period), grain), (0, 0))


def _volume(filters: Filters) -> dict[date, tuple[int, int]]:
    periods: dict[date, tuple[int, int]] = {}
    for day, sums in _daily(filters).items():
        period = _period_start(day, filters.grain)
        received, closed = periods.get(period, (0, 0))
        periods[period] = (received + sums.received, closed + sums.closed)
    return periods


def _period_start(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _a_year_back(day: date) -> date:
    return _shift_year(day, -1)


def _a_year_on(day: date) -> date:
    return _shift_year(day, 1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Backlog:
    buckets: list[tuple[str, int]]  # (age label in days, open requests received that long ago)
    total: int


def backlog(filters: Filters, today: date) -> Backlog:
    """Open requests now by age (days since received); the period filter does not apply."""
    # Months that ended before the oldest bucket's first day are all "over 90": read by month.
    by_day_from = (today - timedelta(days=AGE_BUCKETS[-1][1])).replace(day=1)
    recent = _cells(Rollup, filters, with_period=False).filter(day__gte=by_day_from)
    older = _cells(MonthlyRollup, filters, with_period=False).filter(day__lt=by_day_from)
    rows = (
        part.filter(open_now__gt=0).values("day").annotate(n=Sum("open_now")).values_list("day", "n")
        for part in (recent, older)
    )
    counts = dict.fromkeys((label for label, _, _ in AGE_BUCKETS), 0)
    for day, n in next(rows).union(next(rows), all=True):
        age = (today - day).days
        for label, youngest, oldest in AGE_BUCKETS:
            if age >= youngest and (oldest is None or age <= oldest):
                counts[label] += n
                break
        else:  # received "tomorrow" in the city's time: the youngest bucket
            counts[AGE_BUCKETS[0][0]] += n
    return Backlog(list(counts.items()), sum(counts.values()))


def oldest_open(filters: Filters, limit: int = 10) -> list[Any]:
    departments = [filters.department.pk] if filters.department is not None else None
    return requests.oldest_open_requests(departments, limit)


@dataclass(frozen=True)
class Speed:
    key: int
    name: str
    received: int
    closed: int
    close_median: float | None  # seconds
    close_p90: float | None
    response_median: float | None
    response_p90: float | None
    sla_due: int
    sla_met: int

    @property
    def sla_met_percent(self) -> float | None:
        return share(self.sla_met, self.sla_due)


def speed(filters: Filters, by: str) -> list[Speed]:
    """Time to close and to first response (median, p90) and SLA met, per department or service.

    Ranked worst first: lowest SLA met %, then the slowest median close.
    """
    field = {"department": "department_id", "service": "service_id", "zone": "zone_id"}[by]
    sums = {
        key: row
        for (key,), row in summed(
            Rollup,
            filters,
            [field],
            {"r": Sum("received"), "c": Sum("closed"), "d": Sum("sla_due"), "m": Sum("sla_met")},
        ).items()
    }
    histograms: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for (key, measure, bucket), (n,) in summed(
        DurationRollup, filters, [field, "measure", "bucket"], {"n": Sum("count")}
    ).items():
        histograms[(key, measure)][bucket] = n
    names = _names(by, sums)
    rows = []
    for key, (received, closed, due, met) in sums.items():
        close, response = histograms.get((key, "close"), {}), histograms.get((key, "response"), {})
        rows.append(
            Speed(
                key,
                names.get(key, ""),
                received,
                closed,
                percentile(close, 0.5),
                percentile(close, 0.9),
                percentile(response, 0.5),
                percentile(response, 0.9),
                due,
                met,
            )
        )
    rows = [row for row in rows if row.received or row.closed or row.response_median is not None]
    return sorted(rows, key=lambda r: (_or(r.sla_met_percent, 101), -_or(r.close_median, 0), r.name))


def close_median(filters: Filters) -> float | None:
    """The median time to close of everything the filters select."""
    histogram = {bucket: n for (bucket,), (n,) in summed(DurationRollup, filters, ["bucket"], _COUNT, _closes).items()}
    return percentile(histogram, 0.5)


_COUNT = {"n": Sum("count")}


def _closes(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(measure="close")


def close_medians(filters: Filters, by: str) -> dict[int, float]:
    """The median time to close per department or service (its id), of what was closed in the period.

    Reads the close histograms only: the per-category chart needs no more than this, for this
    period and the one before.
    """
    field = {"department": "department_id", "service": "service_id", "zone": "zone_id"}[by]
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for (key, bucket), (n,) in summed(DurationRollup, filters, [field, "bucket"], _COUNT, _closes).items():
        histograms[key][bucket] = n
    return {key: median for key, h in histograms.items() if (median := percentile(h, 0.5)) is not None}


def names_of(by: str, keys: Any) -> dict[int, str]:
    return _names(by, keys)


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _names(by: str, keyed: Any) -> dict[int, str]:
    model = {"department": Department, "service": Service, "zone": Zone}[by]
    # The name in every language only: whole rows of the catalogue cost a five-year page ~70 ms.
    columns = [name for name in all_languages("name") if hasattr(model, name)]  # zones' names are not translated
    rows = model.objects.filter(pk__in=list(keyed)).only("pk", *columns)  # type: ignore[attr-defined]
    names = {row.pk: row.name for row in rows}
    names.setdefault(0, "")
    return names


@dataclass(frozen=True)
class Rates:
    received: int
    reopened: int
    duplicates: int
    closed: int
    verified: int
    auto_closed: int

    @property
    def reopen_rate(self) -> float | None:
        return share(self.reopened, self.received)

    @property
    def duplicate_rate(self) -> float | None:
        return share(self.duplicates, self.received)


def rates(filters: Filters) -> Rates:
    """Reopen and duplicate rates of the requests received; verified and auto-closed of those closed."""
    days = _daily(filters).values()
    names = ("received", "reopened", "duplicates", "closed", "verified", "auto_closed")
    return Rates(**{name: sum(getattr(day, name) for day in days) for name in names})


@dataclass(frozen=True)
class Satisfaction:
    period: date
    rated: int
    mean: float | None


def satisfaction(filters: Filters) -> list[Satisfaction]:
    """Mean rating (1–5) per period, with how many ratings it rests on."""
    periods: dict[date, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for day, sums in _daily(filters).items():
        if sums.rated:
            rated, total = periods[_period_start(day, filters.grain)]
            periods[_period_start(day, filters.grain)] = (rated + sums.rated, total + sums.rating_sum)
    return [Satisfaction(period, n, total / n) for period, (n, total) in sorted(periods.items())]


@dataclass(frozen=True)
class ZoneSpeed:
    key: int
    name: str
    closed: int
    close_median: float | None


def close_time_by_zone(filters: Filters) -> list[ZoneSpeed]:
    """Median time to close per neighborhood (zone), slowest first; requests with no zone left out."""
    histograms = zone_close_histograms(filters)
    names = catalogue.zone_names(histograms)
    rows = [ZoneSpeed(key, names.get(key, ""), sum(h.values()), percentile(h, 0.5)) for key, h in histograms.items()]
    return sorted(rows, key=lambda r: (-_or(r.close_median, 0), r.name))


def _slice(filters: Filters) -> requests.Slice:
    """The filters but the period, as the requests' selectors take them."""
    services: set[int] | None = None
    if filters.service is not None:
        services = {filters.service.pk}
    if filters.group is not None:
        in_group = set(catalogue.services_in_group(filters.group).values_list("pk", flat=True))
        services = in_group if services is None else services & in_group
    return requests.Slice(
        department_id=filters.department.pk if filters.department is not None else None,
        service_ids=frozenset(services) if services is not None else None,
        zone_id=filters.zone.pk if filters.zone is not None else None,
        channel=filters.channel,
    )


def _moments(filters: Filters) -> tuple[datetime, datetime]:
    """The period's first moment and the moment after its last day, in the city's time zone."""
    zone = city_timezone()
    since = datetime.combine(filters.start, time(), tzinfo=zone)
    return since, datetime.combine(filters.end + timedelta(days=1), time(), tzinfo=zone)


@dataclass(frozen=True)
class WorkloadRow:
    key: int
    name: str
    open: int  # open now, on their name
    closed: int  # closed in the period by them
    close_median: float | None  # seconds, of those they closed: read from buckets, as every other median


@dataclass(frozen=True)
class Workload:
    people: list[WorkloadRow]
    crews: list[WorkloadRow]


def workload(filters: Filters) -> Workload:
    """Per person and per crew: open requests now, and those they closed in the period with their
    median time to close; busiest first (most open, then most closed). The other filters apply to both.

    Open now is read from the requests; the closures from the facts (each request's closing day,
    time to close, resolver and crew), whose index holds only those credited to someone. Their
    median is read from the same duration buckets as the department's and the category's: one
    who closed all of a department's requests reads the department's figure, not one 9 % off it."""
    open_people, open_crews = requests.open_work(_slice(filters))
    closed_people: dict[int, Counter[int]] = defaultdict(Counter)
    closed_crews: dict[int, Counter[int]] = defaultdict(Counter)
    closures = (
        _cells(RequestFact, filters, day="closed_day")
        .filter(Q(closed_by__gt=0) | Q(closed_crew__gt=0))
        .values_list("closed_by", "closed_crew", "close_seconds")
    )
    for person, crew, seconds in closures:
        bucket = bucket_of(seconds)
        if person:
            closed_people[person][bucket] += 1
        if crew:
            closed_crews[crew][bucket] += 1
    names, crew_names = requests.names_of_workers(
        set(open_people) | set(closed_people), set(open_crews) | set(closed_crews)
    )

    def rows(names: dict[int, str], opened: dict[int, int], closed: dict[int, Counter[int]]) -> list[WorkloadRow]:
        found = [
            WorkloadRow(
                key,
                names.get(key, ""),
                opened.get(key, 0),
                closed[key].total(),
                percentile(closed[key], 0.5),
            )
            for key in set(opened) | set(closed)
        ]
        return sorted(found, key=lambda r: (-r.open, -r.closed, r.name, r.key))

    return Workload(rows(names, open_people, closed_people), rows(crew_names, open_crews, closed_crews))


# Residents' comments: the newest this many are listed; the count says how many there are.
COMMENTS_SHOWN = 20


@dataclass(frozen=True)
class Comment:
    public_id: str
    rating: int
    comment: str
    given_at: datetime
    category: str


@dataclass(frozen=True)
class Comments:
    total: int
    newest: list[Comment]


def comments(filters: Filters, limit: int = COMMENTS_SHOWN) -> Comments:
    """The residents' ratings given in the period that came with a comment, newest first (staff only)."""
    since, before = _moments(filters)
    total, rows = requests.recent_feedback(_slice(filters), since=since, before=before, limit=limit)
    return Comments(
        total,
        [
            Comment(row.request.public_id, row.rating, row.comment, row.created_at, row.request.service.name)
            for row in rows
        ],
    )


def open_at(filters: Filters, moment: datetime) -> int:
    """The backlog at a past moment (the period filter does not apply), read from the requests' timelines."""
    return requests.open_count_at(_slice(filters), moment)


# Anomalies: this week (the 7 days ending today) against the 8 weeks before it.
ANOMALY_WEEKS = 8
ANOMALY_MADS = 3
ANOMALY_MIN = 10


@dataclass(frozen=True)
class Anomaly:
    kind: str  # "service" or "zone"
    key: int
    name: str
    this_week: int
    usual: float  # the median of the 8 weeks before
    spread: float  # their median absolute deviation (at least 1)


def anomalies(filters: Filters, today: date) -> list[Anomaly]:
    """Services and neighborhoods whose volume this week is far above their usual range, most unusual first.

    Flagged when this week's count ≥ median + 3 × MAD of the 8 weeks before (MAD at least 1, so a
    flat history still needs a real jump) and ≥ 10 requests. The period filter does not apply.
    """
    start = today - timedelta(days=7 * (ANOMALY_WEEKS + 1) - 1)
    window = replace(filters, start=start, end=today)
    found = []
    for kind, field in (("service", "service_id"), ("zone", "zone_id")):
        weeks: dict[int, list[int]] = defaultdict(lambda: [0] * (ANOMALY_WEEKS + 1))
        for row in _cells(Rollup, window).values("day", field).annotate(n=Sum("received")):
            weeks[row[field]][(today - row["day"]).days // 7] += row["n"]
        names = _names(kind, weeks)
        for key, counts in weeks.items():
            now, before = counts[0], counts[1:]
            usual = statistics.median(before)
            spread = max(1.0, statistics.median(abs(n - usual) for n in before))
            if key and now >= ANOMALY_MIN and now >= usual + ANOMALY_MADS * spread:
                found.append(Anomaly(kind, key, names.get(key, ""), now, usual, spread))
    return sorted(found, key=lambda a: (-(a.this_week - a.usual) / a.spread, a.name))


# --- One pass per page ---
# Received, closed, the rates and the ratings are all sums per day of the same filtered cells: one
# query (per period) answers them all, and within one page (`one_page()`) it runs once, however
# many charts ask. Days are folded into weeks and months here, in Python, rather than truncated
# in SQL: SQLite truncates dates with a Python function called per row, which cost a five-year
# view half a second per chart.

T = TypeVar("T")
DAY_SUMS = ("received", "closed", "reopened", "duplicates", "verified", "auto_closed", "rated", "rating_sum")


@dataclass(frozen=True)
class DaySums:
    received: int
    closed: int
    reopened: int
    duplicates: int
    verified: int
    auto_closed: int
    rated: int
    rating_sum: int


_page_memo: ContextVar[dict[Any, Any] | None] = ContextVar("dashboards_page_memo", default=None)


@contextmanager
def one_page() -> Iterator[None]:
    """Within this block, the same filters' day sums are read once (a page's charts share them)."""
    token = _page_memo.set({})
    try:
        yield
    finally:
        _page_memo.reset(token)


def once_per_page(name: str, filters: Filters, compute: Callable[[], T]) -> T:
    """`compute()`, or within `one_page()` what it gave for the same name and filters."""
    memo = _page_memo.get()
    if memo is None:
        return compute()
    if (name, filters) not in memo:
        memo[(name, filters)] = compute()
    return memo[(name, filters)]  # type: ignore[no-any-return]


def _daily(filters: Filters) -> dict[date, DaySums]:
    """The sums per day of the period (per month for its whole months when it is shown by month)."""

    def read() -> dict[date, DaySums]:
        # By month, a whole month's sums come as its first day's: the charts fold days into months.
        rows = summed(
            Rollup, filters, ["day"], {name: Sum(name) for name in DAY_SUMS}, by_month=filters.grain == "month"
        )
        return {day: DaySums(*values) for (day,), values in rows.items()}

    return once_per_page("daily", filters, read)


def zone_close_histograms(filters: Filters) -> dict[int, dict[int, int]]:
    """Per zone, how many closes fell in each duration bucket (the neighborhood chart and map share it)."""

    def read() -> dict[int, dict[int, int]]:
        histograms: dict[int, dict[int, int]] = defaultdict(dict)
        for (zone, bucket), (n,) in summed(
            DurationRollup, filters, ["zone_id", "bucket"], _COUNT, lambda rows: _closes(rows).exclude(zone_id=0)
        ).items():
            histograms[zone][bucket] = n
        return histograms

    return once_per_page("zone_close", filters, read)
