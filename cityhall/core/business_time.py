"""Business-hours arithmetic for SLA deadlines ("48 business hours" for graffiti).

Turns a submission time plus an SLA into a deadline, and measures business time between
two instants so the SLA clock can pause while a request is on hold. Pure standard
library, so models, tasks and the simulator can all use it and it tests without Django.
Opening and closing are wall-clock times per local date, converted to UTC only then, so
a DST change moves the UTC hours, never the local ones. A wall time that does not exist
(in a spring-forward gap) is read as Python reads it (PEP 495, fold=0): an hour later.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["BusinessCalendar"]

_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_ZERO = timedelta()
# `time` cannot say 24:00, so a closing of 00:00 means midnight at the END of the day.
_MIDNIGHT = time(0)
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
# No business time at all for this long means the calendar is closed for good.
_MAX_IDLE = timedelta(days=2 * 366)


def _to_utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value!r}")
    return value.astimezone(UTC)


def _weekday(name: str) -> int:
    key = name.strip().lower()
    for index, full in enumerate(_DAYS):
        if key in (full, full[:3]):
            return index
    names = ", ".join(full[:3] for full in _DAYS)
    raise ValueError(f"unknown weekday {name!r}; expected one of {names}")


def _clock_seconds(text: str, where: str) -> int:
    """Seconds after local midnight of 'HH:MM' or 'HH:MM:SS'; '24:00' gives 86400."""
    match = _CLOCK.fullmatch(text.strip()) if isinstance(text, str) else None
    if match:
        hour, minute, second = (int(group or 0) for group in match.groups())
        seconds = hour * 3600 + minute * 60 + second
        if minute < 60 and second < 60 and seconds <= 86400:
            return seconds
    raise ValueError(f"{where}: bad time {text!r}; expected HH:MM from 00:00 to 24:00")


def _wall_length(opening: time, closing: time) -> timedelta:
    since = datetime.combine(date.min, opening)
    until = datetime.combine(date.min, closing)
    return until - since + (_DAY if closing == _MIDNIGHT else _ZERO)


def _midnight_offset(tz: ZoneInfo, day: date) -> timedelta | None:
    return datetime.combine(day, _MIDNIGHT, tz).utcoffset()


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours of a jurisdiction, in its own time zone.

    ``hours`` maps a weekday (0=Monday..6=Sunday) to local (open, close) wall-clock
    times; a missing weekday is closed. A close of ``time(0)`` means midnight at the end
    of the day, so ``(time(0), time(0))`` is open all day. ``holidays`` (local dates)
    are closed all day.
    """

    timezone: str
    # Left out of the hash because mappings are unhashable; equality still compares it.
    hours: Mapping[int, tuple[time, time]] = field(hash=False)
    holidays: frozenset[date] = frozenset()
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _holiday_list: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _lengths: tuple[timedelta, ...] = field(init=False, repr=False, compare=False)
    _week: timedelta = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(
                f"unknown time zone {self.timezone!r}; expected an IANA name such as 'America/Los_Angeles'"
            ) from exc
        lengths = [_ZERO] * 7  # wall-clock business time per weekday
        for weekday, (opening, closing) in self.hours.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday)..6 (Sunday): {weekday!r}")
            lengths[weekday] = _wall_length(opening, closing)
            if lengths[weekday] <= _ZERO:
                day = _DAYS[weekday]
                raise ValueError(f"{day}: close {closing} not after open {opening}")
        # Private copies: mutating the caller's dict must not change a frozen calendar.
        object.__setattr__(self, "hours", MappingProxyType(dict(self.hours)))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "_tz", tz)
        object.__setattr__(self, "_holiday_list", tuple(sorted(self.holidays)))
        object.__setattr__(self, "_lengths", tuple(lengths))
        object.__setattr__(self, "_week", sum(lengths, _ZERO))

    @classmethod
    def from_config(
        cls, timezone: str, hours: Mapping[str, Sequence[str]] | None, holidays: Iterable[str] = ()
    ) -> BusinessCalendar:
        """Build from the JSON stored in the database: ``{"mon": ["08:00", "17:00"]}``.

        None or {} means round the clock every day (24/7). Weekday names are short or
        full, any case; a close of "24:00" is midnight. Holidays are ISO date strings.
        Raises ValueError, naming the offending entry, on any bad value.
        """
        parsed: dict[int, tuple[time, time]] = {}
        if not hours:  # no schedule configured: the SLA clock never stops
            parsed = {weekday: (_MIDNIGHT, _MIDNIGHT) for weekday in range(7)}
        for name, span in (hours or {}).items():
            weekday = _weekday(name)
            if weekday in parsed:
                raise ValueError(f"{name!r}: weekday given twice")
            if isinstance(span, str) or len(span) != 2:
                raise ValueError(f"{name!r}: expected [open, close], got {span!r}")
            opening, closing = (_clock_seconds(text, repr(name)) for text in span)
            if closing <= opening:
                hint = "; use '24:00' for midnight" if closing == 0 else ""
                raise ValueError(f"{name!r}: closing {span[1]!r} not after opening {span[0]!r}{hint}")
            parsed[weekday] = (
                time(opening // 3600, opening // 60 % 60, opening % 60),
                time(closing // 3600 % 24, closing // 60 % 60, closing % 60),
            )
        days: set[date] = set()
        for text in holidays:
            try:
                days.add(date.fromisoformat(text))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"bad holiday {text!r}; expected YYYY-MM-DD") from exc
        return cls(timezone, parsed, frozenset(days))

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The aware datetime (UTC) when `duration` of business time has elapsed.

        Counting begins at the next opening if `start` is outside business hours; a
        duration of 0 returns `start` unchanged. A deadline that falls exactly at a
        closing time is that closing time, not the next opening.
        """
        instant = _to_utc(start, "start")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        if not duration:
            return start
        if not self.hours:
            raise ValueError("the calendar has no business hours on any weekday")
        remaining, day = duration, instant.astimezone(self._tz).date()
        span = self._open_interval(day)
        if span is not None and span[1] > instant:  # time left on the start date
            opening = max(span[0], instant)
            if span[1] - opening >= remaining:
                return opening + remaining
            remaining -= span[1] - opening
        day += _DAY
        # Skip weeks in windows of two years, so a calendar closed for good (holidays
        # ahead for ever) fails instead of scanning up to year 9999.
        while True:
            horizon = day + _MAX_IDLE
            day, skipped = self._skip(day, horizon, remaining)
            remaining -= skipped
            if day + _WEEK <= horizon:  # stopped short: the deadline is in this week
                break
            if not skipped:
                raise ValueError(f"no business hours at all in the two years to {day}")
        while True:  # at most seven more days
            span = self._open_interval(day)
            if span is not None:
                if span[1] - span[0] >= remaining:
                    return span[0] + remaining
                remaining -= span[1] - span[0]
            day += _DAY

    def add_business_time_to_each(self, starts: Sequence[datetime], duration: timedelta) -> list[datetime]:
        """`add_business_time(start, duration)` of each start, computed for all of them at once.

        An import gives thousands of starts, each its own second. Instead of walking the days from
        each one, the business intervals from the earliest start's date to past the latest
        deadline are listed once with the business time before each; a start's deadline is then
        two binary searches (the interval it counts from, the one its total reaches). Starts spread
        over far more days than there are starts go one by one, as does anything outside the list.
        """
        if not starts or not duration or not self.hours:
            return [self.add_business_time(start, duration) for start in starts]
        instants = [_to_utc(start, "start") for start in starts]
        day = min(instants).astimezone(self._tz).date()
        last = max(instants).astimezone(self._tz).date()
        if (last - day).days > 4 * len(starts) + 14:
            return [self.add_business_time(start, duration) for start in starts]
        begins: list[datetime] = []
        ends: list[datetime] = []
        before: list[timedelta] = []  # business time in the listed intervals before each one
        reached: list[timedelta] = []  # … and up to its end
        total, after_last, idle = _ZERO, _ZERO, _ZERO
        # Past the latest start's date, list intervals until they hold the whole duration.
        while day <= last or (after_last < duration and idle <= _MAX_IDLE):
            span = self._open_interval(day)
            if span is not None:
                begins.append(span[0])
                ends.append(span[1])
                before.append(total)
                total += span[1] - span[0]
                reached.append(total)
                if day > last:
                    after_last += span[1] - span[0]
                idle = _ZERO
            elif day > last:
                idle += _DAY
            day += _DAY
        deadlines = []
        for start, instant in zip(starts, instants, strict=True):
            first = bisect_right(ends, instant)  # the first interval still open after the start
            if first == len(ends):
                deadlines.append(self.add_business_time(start, duration))
                continue
            target = before[first] + max(begins[first], instant) - begins[first] + duration
            found = bisect_left(reached, target)  # a deadline at a closing time is that closing time
            if found == len(reached):
                deadlines.append(self.add_business_time(start, duration))
            else:
                deadlines.append(begins[found] + (target - before[found]))
        return deadlines

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Business time elapsed between two aware datetimes (0 if end <= start)."""
        begin, finish = _to_utc(start, "start"), _to_utc(end, "end")
        if finish <= begin:
            return _ZERO

        def clipped(day: date) -> timedelta:
            span = self._open_interval(day)
            if span is None:
                return _ZERO
            return max(min(span[1], finish) - max(span[0], begin), _ZERO)

        first = begin.astimezone(self._tz).date()
        last = finish.astimezone(self._tz).date()
        # Weeks strictly between the end dates lie wholly inside (start, end).
        day, total = self._skip(first + _DAY, last, timedelta.max)
        total += clipped(first)
        while day <= last:
            total += clipped(day)
            day += _DAY
        return total

    def _open_interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The local date's business hours as UTC instants, or None if closed."""
        span = self.hours.get(day.weekday())
        if span is None or day in self.holidays:
            return None
        opening, closing = span
        close_day = day + _DAY if closing == _MIDNIGHT else day
        begin = datetime.combine(day, opening, self._tz).astimezone(UTC)
        end = datetime.combine(close_day, closing, self._tz).astimezone(UTC)
        # An opening inside a spring-forward gap can map past closing: no hours then.
        return (begin, end) if end > begin else None

    def _skip(self, day: date, stop: date, budget: timedelta) -> tuple[date, timedelta]:
        """Skip whole 7-day blocks from `day` that end by `stop` while the business time
        skipped stays under `budget`; return the first date not skipped and that time.

        A week costs one UTC-offset look-up rather than two conversions per day, which
        keeps ten years of business time to a few milliseconds. This relies on no zone
        changing its UTC offset twice within a week: true of every IANA zone from 1970 to
        2040, checked against a day-by-day count (only a 1939 Freetown change breaks it).
        """
        tz, holidays, skipped = self._tz, self._holiday_list, _ZERO
        offset = _midnight_offset(tz, day)
        while (following := day + _WEEK) <= stop:
            block, index = self._week, bisect_left(holidays, day)
            while index < len(holidays) and holidays[index] < following:
                block -= self._lengths[holidays[index].weekday()]
                index += 1
            next_offset = _midnight_offset(tz, following)
            if next_offset != offset:
                # Find the date of the one offset change by bisection: only that date
                # lasts other than its wall-clock length, so count it for real.
                low, high = day, following
                while (high - low).days > 1:
                    middle = low + (high - low).days // 2 * _DAY
                    if _midnight_offset(tz, middle) == offset:
                        low = middle
                    else:
                        high = middle
                span = self._open_interval(low)
                nominal = _ZERO if low in self.holidays else self._lengths[low.weekday()]
                block += (span[1] - span[0] if span else _ZERO) - nominal
            if skipped + block >= budget:
                break
            skipped += block
            day, offset = following, next_offset
        return day, skipped
