"""The built-in geocoder: the city's own street centerlines and named places, searched in memory.

Each process reads a jurisdiction's segments once into an index (street key → segments, junction →
streets, a coarse grid for nearest-segment search) and keeps it until the streets are loaded again,
so a keystroke of the autocomplete costs microseconds of Python and no query beyond a version check
every few seconds. See docs/geo.md for what it understands and how well it places addresses.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.ttl_cache import TtlCache

from ..models import NamedPlace, StreetAlias, StreetSegment
from . import Found
from .words import CORNER_WORDS, DIRECTIONS, LONG_WORDS, display, plain, street_base, street_key, word

SIDE_OFFSET_M = 8  # a house's point sits this far from the centreline, on its side of the street
CORNER_RADIUS_M = 40  # reverse: a junction this close names the place as a corner
REVERSE_RADIUS_M = 150  # reverse: no addressed street this close, no answer
NOT_CORNERS = {"ALLEY", "WALKWAY", "RAMP", "FREEWAY"}  # segment kinds that do not make a named corner
NEAREST_RANGE = 50  # a number in a gap between ranges goes to a range end this close (in numbers)
GRID = 0.002  # degrees: the cell size of the nearest-segment grid (about 200 m × 185 m here)
HOUSE = re.compile(r"^(\d{1,6})(?:[A-Z]|½|-\d+)?$")  # 1685, 1685A, 2400-2500 (the first number)


def _metres(lat0: float) -> tuple[float, float]:
    """Metres per degree of latitude and longitude near lat0."""
    return 110_540.0, 111_320.0 * math.cos(math.radians(lat0))


@dataclass(eq=False)
class Street:
    key: str  # “MAIN ST”
    base: str  # “MAIN”
    label: str  # “Main St”
    corners_ok: bool = False
    segments: list[Segment] = field(default_factory=list)
    lowest: int = 0
    highest: int = 0
    corner_numbers: dict[tuple[float, float], float] | None = None


@dataclass(eq=False)
class Segment:
    street: Street
    points: list[tuple[float, float]]  # (lat, lng)
    left: tuple[int, int]
    right: tuple[int, int]
    kind: str

    @property
    def addressed(self) -> bool:
        return any(self.left) or any(self.right)


def _side_holds(numbers: tuple[int, int], number: int) -> bool:
    low, high = sorted(numbers)
    return any(numbers) and low <= number <= high and (number - numbers[0]) % 2 == 0


def _along(points: list[tuple[float, float]], fraction: float, offset_m: float) -> tuple[float, float]:
    """The point `fraction` of the way along the line, moved `offset_m` to its left (negative: right)."""
    per_lat, per_lng = _metres(points[0][0])
    xy = [((lng - points[0][1]) * per_lng, (lat - points[0][0]) * per_lat) for lat, lng in points]
    pieces = [math.dist(a, b) for a, b in itertools.pairwise(xy)]
    target = max(0.0, min(1.0, fraction)) * sum(pieces)
    for index, length in enumerate(pieces):
        if target <= length or index == len(pieces) - 1:
            (x0, y0), (x1, y1) = xy[index], xy[index + 1]
            share = target / length if length else 0.0
            x, y = x0 + (x1 - x0) * share, y0 + (y1 - y0) * share
            if length:
                x, y = x - (y1 - y0) / length * offset_m, y + (x1 - x0) / length * offset_m
            return points[0][0] + y / per_lat, points[0][1] + x / per_lng
        target -= length
    return points[0]


def _nearest_on(points: list[tuple[float, float]], lat: float, lng: float) -> tuple[float, float, bool]:
    """(distance in metres, fraction along the line, is the point on the left) for the closest spot."""
    per_lat, per_lng = _metres(lat)
    xy = [((p_lng - lng) * per_lng, (p_lat - lat) * per_lat) for p_lat, p_lng in points]
    best = (math.inf, 0.0, True)
    walked = 0.0
    total = sum(math.dist(a, b) for a, b in itertools.pairwise(xy)) or 1.0
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        dx, dy = x1 - x0, y1 - y0
        length_sq = dx * dx + dy * dy
        share = max(0.0, min(1.0, -(x0 * dx + y0 * dy) / length_sq)) if length_sq else 0.0
        distance = math.hypot(x0 + dx * share, y0 + dy * share)
        if distance < best[0]:
            # The query point is at the origin: left of the piece when the cross product is positive.
            best = (distance, (walked + share * math.sqrt(length_sq)) / total, dx * (-y0) - dy * (-x0) > 0)
        walked += math.sqrt(length_sq)
    return best


@dataclass(eq=False)
class Place:
    name: str
    words: list[str]
    address: str
    lat: float
    lng: float


class StreetIndex:
    """One jurisdiction's streets and places, ready to search."""

    def __init__(
        self,
        segments: list[StreetSegment],
        places: list[NamedPlace],
        aliases: list[StreetAlias],
        city_words: set[str],
    ) -> None:
        self.streets: dict[str, Street] = {}
        self.corners: dict[tuple[float, float], set[Street]] = defaultdict(set)
        self.grid: dict[tuple[int, int], list[Segment]] = defaultdict(list)
        for row in segments:
            key = street_key(row.name)
            street = self.streets.get(key)
            if street is None:
                street = self.streets[key] = Street(key=key, base=street_base(key), label=display(row.name))
            points = [(lat, lng) for lng, lat in row.coordinates]
            if len(points) < 2:
                continue
            segment = Segment(
                street, points, (row.left_from, row.left_to), (row.right_from, row.right_to), row.kind.upper()
            )
            street.segments.append(segment)
            numbers = [n for n in (*segment.left, *segment.right) if n]
            if numbers:
                street.lowest = min(street.lowest or min(numbers), min(numbers))
                street.highest = max(street.highest, max(numbers))
            if segment.kind not in NOT_CORNERS:
                street.corners_ok = True
                for end in (points[0], points[-1]):
                    self.corners[(round(end[0], 6), round(end[1], 6))].add(street)
            lats, lngs = [p[0] for p in points], [p[1] for p in points]
            for i in range(math.floor(min(lats) / GRID), math.floor(max(lats) / GRID) + 1):
                for j in range(math.floor(min(lngs) / GRID), math.floor(max(lngs) / GRID) + 1):
                    self.grid[(i, j)].append(segment)
        for alias in aliases:
            target = self.streets.get(street_key(alias.name))
            if target is not None:
                self.streets.setdefault(street_key(alias.alias), target)
        # Junctions: for each street, the streets it meets and where.
        self.meets: dict[Street, dict[Street, tuple[float, float]]] = defaultdict(dict)
        for point, streets in self.corners.items():
            for one in streets:
                for other in streets:
                    if other is not one and one.corners_ok and other.corners_ok:
                        self.meets[one].setdefault(other, point)
        self.keys = sorted(self.streets)
        self.bases = defaultdict(list)
        for key in self.keys:
            self.bases[street_base(key)].append(key)
        self.places = [Place(p.name, plain(p.name).split(), p.address, p.lat, p.lng) for p in places]
        self.city_words = city_words

    # --- search ------------------------------------------------------------------------------------
    def search(self, text: str, *, limit: int = 5, places: bool = True) -> list[Found]:
        text = re.sub(r"\([^)]*\)?", " ", text)  # “2415 Broadway (at Park Dr)”: an aside
        text = text.split(",")[0] if re.match(r"\s*\d", text) else text  # “1685 Main St, Santa Monica”
        tokens = [word(token) if token in CORNER_WORDS else token for token in plain(text).split()]
        if len(tokens) > 3 and HOUSE.match(tokens[0]) and tokens[1:3] == ["BLOCK", "OF"]:
            tokens = [tokens[0], *tokens[3:]]  # “2800 block of Neilson Way”: the block's first number
        tokens = self._without_city(tokens)
        if not tokens:
            return []
        corner = next((i for i, token in enumerate(tokens) if token in CORNER_WORDS), None)
        if corner is not None and 0 < corner < len(tokens) - 1:
            return self._corners(tokens[:corner], tokens[corner + 1 :], limit)
        tokens = [token for token in tokens if token not in CORNER_WORDS]
        if not tokens:
            return []
        house = HOUSE.match(tokens[0])
        if house and len(tokens) > 1:
            return self._addresses(int(house.group(1)), tokens[1:], limit)
        if not places:
            return []
        found = self._places(tokens, limit)
        return (found + self._corners_of(tokens, limit - len(found)))[:limit]

    def _corners_of(self, tokens: list[str], limit: int) -> list[Found]:
        """A street name alone (“main st”): its corners, to choose the nearest one from (kind "street")."""
        if limit <= 0:
            return []
        for street in self.streets_for(tokens, best_only=True)[:1]:
            numbers = self._numbers_at(street)
            met = sorted(
                self.meets.get(street, {}).items(), key=lambda item: (numbers.get(item[1], 1e9), item[0].label)
            )
            return [Found(f"{street.label} & {other.label}", lat, lng, "street") for other, (lat, lng) in met[:limit]]
        return []

    def _without_city(self, tokens: list[str]) -> list[str]:
        """Drop a trailing “Santa Monica CA 90401”: the city, its state and a ZIP code say nothing here."""
        while len(tokens) > 2 and (
            tokens[-1] in self.city_words or tokens[-1] in {"CA", "USA", "US"} or re.fullmatch(r"\d{5}", tokens[-1])
        ):
            tokens = tokens[:-1]
        return tokens

    def streets_for(self, tokens: list[str], *, best_only: bool = False) -> list[Street]:
        """Streets matching the words, best first: exact, missing suffix, half-typed, then small typos."""
        variants = {" ".join(word(t) for t in tokens)}
        last = tokens[-1]
        if len(tokens) > 1 and len(last) >= 2:  # a half-typed suffix or direction: “main stre”
            head = " ".join(word(t) for t in tokens[:-1])
            variants |= {f"{head} {short}" for long, short in LONG_WORDS.items() if long.startswith(last)}
        ranked: dict[str, tuple[int, int]] = {}

        def offer(key: str, tier: int) -> None:
            street = self.streets[key]
            score = (tier, 0 if street.highest else 1)
            if key not in ranked or score < ranked[key]:
                ranked[key] = score

        for query in variants:
            if query in self.streets:
                offer(query, 0)
            for key in self.bases.get(query, ()):
                offer(key, 1)
            base = street_base(query)
            if base != query:  # right name, other suffix or direction (“Main Ave”, “Main St W”)
                for key in self.bases.get(base, ()):
                    offer(key, 3)
        if not ranked:
            for query in variants:
                for key in self.keys:
                    if key.startswith(query):
                        offer(key, 2)
        if not ranked:
            query = " ".join(word(t) for t in tokens)
            base = street_base(query)
            for close in difflib.get_close_matches(base, list(self.bases), n=3, cutoff=0.8):
                for key in self.bases[close]:
                    offer(key, 4)
            for close in difflib.get_close_matches(query, self.keys, n=3, cutoff=0.8):
                offer(close, 4)
        order = sorted(ranked, key=lambda key: (ranked[key], len(key), key))
        if best_only and order:  # “Ocean Park Blvd” means that street, not Ocean Park Pl
            order = [key for key in order if ranked[key][0] == ranked[order[0]][0]]
        unique: list[Street] = []
        for key in order:
            if self.streets[key] not in unique:
                unique.append(self.streets[key])
        return unique

    def _numbers_at(self, street: Street) -> dict[tuple[float, float], float]:
        """About which house number each of a street's corners is, to list them in address order (kept per street)."""
        if street.corner_numbers is None:
            addressed = [segment for segment in street.segments if segment.addressed]
            numbers: dict[tuple[float, float], float] = {}
            for point in self.meets.get(street, {}).values():
                best = (math.inf, 1e9)
                for segment in addressed:
                    distance, fraction, _left = _nearest_on(segment.points, *point)
                    if distance < best[0]:
                        start, end = segment.left if any(segment.left) else segment.right
                        best = (distance, start + (end - start) * fraction)
                numbers[point] = best[1]
            street.corner_numbers = numbers
        return street.corner_numbers

    def _addresses(self, number: int, tokens: list[str], limit: int) -> list[Found]:
        found: list[Found] = []
        for street in self.streets_for(tokens, best_only=True):
            point = self.house(street, number)
            if point is not None:
                found.append(Found(f"{number} {street.label}", point[0], point[1], "address"))
            if len(found) >= limit:
                break
        return found

    def house(self, street: Street, number: int) -> tuple[float, float] | None:
        """The point of a house number: interpolated along its segment, set back on its side (by parity).

        A number in a gap between two published ranges (they skip unbuilt numbers) goes to the nearest
        range end on its side, if one is within NEAREST_RANGE numbers.
        """
        nearest: tuple[int, Segment, float, int] | None = None
        for segment in street.segments:
            for numbers, side in ((segment.left, 1), (segment.right, -1)):
                if not any(numbers) or (number - numbers[0]) % 2:
                    continue
                start, end = numbers
                if _side_holds(numbers, number):
                    fraction = 0.5 if start == end else (number - start) / (end - start)
                    return _along(segment.points, fraction, side * SIDE_OFFSET_M)
                for end_number, fraction in ((start, 0.0), (end, 1.0)):
                    gap = abs(number - end_number)
                    if gap <= NEAREST_RANGE and (nearest is None or gap < nearest[0]):
                        nearest = (gap, segment, fraction, side)
        if nearest is None:
            return None
        _gap, segment, fraction, side = nearest
        return _along(segment.points, fraction, side * SIDE_OFFSET_M)

    def _corners(self, first: list[str], second: list[str], limit: int) -> list[Found]:
        found: list[Found] = []
        seconds = self.streets_for(second)
        for one in self.streets_for(first):
            met = self.meets.get(one, {})
            for other in seconds:
                if other in met:
                    lat, lng = met[other]
                    found.append(Found(f"{one.label} & {other.label}", lat, lng, "intersection"))
            if len(found) >= limit:
                break
        return found[:limit]

    def _places(self, tokens: list[str], limit: int) -> list[Found]:
        def matches(words: list[str], wanted: list[str]) -> bool:
            *whole, last = wanted
            return all(w in words for w in whole) and any(w.startswith(last) for w in words)

        for wanted in (tokens, [t for t in tokens if t not in self.city_words]):
            if not wanted:
                continue
            hits = [place for place in self.places if matches(place.words, wanted)]
            if hits:
                hits.sort(key=lambda p: (p.words != wanted, p.words[: len(wanted)] != wanted, len(p.name), p.name))
                return [Found(p.name, p.lat, p.lng, "place", p.address) for p in hits[:limit]]
        return []

    # --- reverse -----------------------------------------------------------------------------------
    def reverse(self, lat: float, lng: float) -> Found | None:
        i, j = math.floor(lat / GRID), math.floor(lng / GRID)
        nearby = {id(s): s for di in (-1, 0, 1) for dj in (-1, 0, 1) for s in self.grid.get((i + di, j + dj), ())}
        best: tuple[float, float, bool, Segment] | None = None
        for segment in nearby.values():
            if not segment.addressed:
                continue
            distance, fraction, left = _nearest_on(segment.points, lat, lng)
            if best is None or distance < best[0]:
                best = (distance, fraction, left, segment)
        if best is None or best[0] > REVERSE_RADIUS_M:
            return None
        _distance, fraction, left, segment = best
        corner = self._corner_near(lat, lng, segment.street)
        if corner is not None:
            return corner
        numbers = segment.left if left else segment.right
        if not any(numbers):
            numbers = segment.right if left else segment.left
        start, end = numbers
        number = round(start + (end - start) * fraction)
        if (number - start) % 2:
            number += 1 if abs(end - number - 1) < abs(end - number + 1) else -1
        low, high = sorted(numbers)
        number = max(low, min(high, number))
        lat_at, lng_at = _along(segment.points, fraction, 0)
        return Found(f"{number} {segment.street.label}", lat_at, lng_at, "address")

    def _corner_near(self, lat: float, lng: float, street: Street) -> Found | None:
        per_lat, per_lng = _metres(lat)
        best: tuple[float, tuple[float, float], set[Street]] | None = None
        for segment in street.segments:
            for end in (segment.points[0], segment.points[-1]):
                point = (round(end[0], 6), round(end[1], 6))
                streets = {s for s in self.corners.get(point, ()) if s.corners_ok}
                if len({s.key for s in streets}) < 2 or street not in streets:
                    continue
                distance = math.hypot((point[0] - lat) * per_lat, (point[1] - lng) * per_lng)
                if distance <= CORNER_RADIUS_M and (best is None or distance < best[0]):
                    best = (distance, point, streets)
        if best is None:
            return None
        others = sorted((s for s in best[2] if s is not street), key=lambda s: (not s.highest, s.label))
        return Found(f"{street.label} & {others[0].label}", best[1][0], best[1][1], "intersection")


_versions: TtlCache[tuple[int, int]] = TtlCache(seconds=10)
_indexes: dict[int, tuple[tuple[int, int], StreetIndex]] = {}
_building = threading.Lock()


def _version(jurisdiction_pk: int) -> tuple[int, int]:
    counted = StreetSegment.objects.filter(jurisdiction_id=jurisdiction_pk).aggregate(n=Count("pk"), last=Max("pk"))
    places = NamedPlace.objects.filter(jurisdiction_id=jurisdiction_pk).aggregate(last=Max("pk"))
    return counted["n"], (counted["last"] or 0) * 1_000_003 + (places["last"] or 0)


def index_for(jurisdiction: Jurisdiction) -> StreetIndex:
    """The jurisdiction's index, built once per process and again only after its streets are reloaded."""
    version = _versions.get(jurisdiction.pk, lambda: _version(jurisdiction.pk))
    held = _indexes.get(jurisdiction.pk)
    if held is not None and held[0] == version:
        return held[1]
    with _building:
        held = _indexes.get(jurisdiction.pk)
        if held is None or held[0] != version:
            city = {w for w in plain(jurisdiction.name).split() if w not in {"CITY", "OF", "TOWN", "COUNTY"}}
            built = StreetIndex(
                list(StreetSegment.objects.filter(jurisdiction=jurisdiction).order_by("pk")),
                list(NamedPlace.objects.filter(jurisdiction=jurisdiction).order_by("pk")),
                list(StreetAlias.objects.filter(jurisdiction=jurisdiction)),
                city,
            )
            held = _indexes[jurisdiction.pk] = (version, built)
    return held[1]


def forget_indexes() -> None:
    """Drop every built index (after loading streets in this process, and between tests)."""
    _indexes.clear()
    _versions.clear()


class StreetGeocoder:
    """The default geocoder (settings.CITYHALL_GEOCODER = "streets")."""

    def search(self, jurisdiction: Jurisdiction, text: str, *, limit: int = 5) -> list[Found]:
        return index_for(jurisdiction).search(text, limit=limit)

    def reverse(self, jurisdiction: Jurisdiction, lat: float, lng: float) -> Found | None:
        return index_for(jurisdiction).reverse(lat, lng)


__all__ = ["DIRECTIONS", "StreetGeocoder", "StreetIndex", "forget_indexes", "index_for"]
