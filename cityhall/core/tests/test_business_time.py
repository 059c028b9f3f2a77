"""Tests for SLA business-time arithmetic (pure Python: no Django, no database)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.core.business_time import BusinessCalendar

LA = ZoneInfo("America/Los_Angeles")
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
WEEKDAYS_8_TO_5 = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
SANTA_MONICA = BusinessCalendar.from_config(
    "America/Los_Angeles",
    WEEKDAYS_8_TO_5,
    ["2026-01-19", "2026-05-25", "2026-07-03", "2026-11-26", "2026-12-25"],
)
ROUND_THE_CLOCK = BusinessCalendar.from_config("UTC", None)

# The work tree is shared, so keep Hypothesis's example database out of it; no deadline,
# because a loaded CI machine makes timings noisy (speed has its own test below).
PROPERTY = settings(database=None, deadline=None, max_examples=200)

# Zones with unusual offset changes: 30-minute DST (Lord Howe), changes at midnight
# (Havana, Santiago, Tehran until 2022), negative DST (Dublin), Ramadan (Casablanca),
# a two-hour jump (Troll).
ZONES = [
    "America/Los_Angeles",
    "UTC",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Havana",
    "America/Santiago",
    "Asia/Tehran",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Antarctica/Troll",
]
aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([ZoneInfo(name) for name in ZONES]),
)
durations = st.integers(0, 500 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us))


def la(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A Los Angeles wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LA)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Random calendars: any zone, odd hours (some in DST gaps), random holidays."""
    hours: dict[int, tuple[time, time]] = {}
    for weekday in range(7):
        if draw(st.booleans()):
            opening = draw(st.integers(0, 24 * 60 - 30))  # minutes after midnight
            closing = draw(st.integers(opening + 30, 24 * 60))
            hours[weekday] = (
                time(opening // 60, opening % 60),
                time(closing // 60 % 24, closing % 60),  # 24:00 is time(0)
            )
    holidays = draw(st.frozensets(st.dates(date(2020, 1, 1), date(2031, 12, 31))))
    zone = draw(st.sampled_from(ZONES))
    return BusinessCalendar(zone, hours or {2: (time(9), time(12))}, holidays)


def reference_intervals(calendar: BusinessCalendar, first: date, last: date) -> Iterator[tuple[datetime, datetime]]:
    """Each day's business hours in UTC, the slow obvious way: no week skipping."""
    zone = ZoneInfo(calendar.timezone)
    day = first
    while day <= last:
        span = calendar.hours.get(day.weekday())
        if span is not None and day not in calendar.holidays:
            close_day = day + timedelta(days=1) if span[1] == time(0) else day
            opening = datetime.combine(day, span[0], zone).astimezone(UTC)
            closing = datetime.combine(close_day, span[1], zone).astimezone(UTC)
            if closing > opening:
                yield opening, closing
        day += timedelta(days=1)


def local_date(calendar: BusinessCalendar, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(calendar.timezone)).date()


def reference_between(calendar: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    a, b = a.astimezone(UTC), b.astimezone(UTC)  # so that `-` is elapsed time
    first = local_date(calendar, a) - timedelta(days=1)
    last = local_date(calendar, b) + timedelta(days=1)
    total = timedelta()
    for opening, closing in reference_intervals(calendar, first, last):
        total += max(min(closing, b) - max(opening, a), timedelta())
    return total


def reference_add(calendar: BusinessCalendar, start: datetime, d: timedelta) -> datetime:
    start = start.astimezone(UTC)  # so that `+` is elapsed time
    first = local_date(calendar, start) - timedelta(days=1)
    for opening, closing in reference_intervals(calendar, first, date.max):
        opening = max(opening, start)
        if closing > opening:
            if closing - opening >= d:
                return opening + d
            d -= closing - opening
    raise AssertionError("unreachable")


# --- Santa Monica examples ------------------------------------------------------------


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    deadline = SANTA_MONICA.add_business_time(la(2026, 6, 12, 16), 2 * HOUR)
    assert deadline == la(2026, 6, 15, 9)
    assert deadline.tzinfo is UTC


def test_weekend_submission_starts_counting_monday_opening() -> None:
    saturday = la(2026, 6, 13, 10)
    assert SANTA_MONICA.add_business_time(saturday, HOUR) == la(2026, 6, 15, 9)
    second = timedelta(seconds=1)
    assert SANTA_MONICA.add_business_time(saturday, second) == la(2026, 6, 15, 8, 0, 1)


def test_holiday_monday_is_skipped() -> None:
    friday = la(2026, 5, 22, 16)  # Monday 2026-05-25 is Memorial Day
    assert SANTA_MONICA.add_business_time(friday, 2 * HOUR) == la(2026, 5, 26, 9)


def test_early_submission_counts_from_opening() -> None:
    assert SANTA_MONICA.add_business_time(la(2026, 6, 10, 7), HOUR) == la(2026, 6, 10, 9)


def test_deadline_at_closing_time_stays_at_closing_time() -> None:
    start = la(2026, 6, 10, 8)
    assert SANTA_MONICA.add_business_time(start, 9 * HOUR) == la(2026, 6, 10, 17)


def test_graffiti_48_business_hours() -> None:
    # Monday 10:00: 7 h Monday, 4 x 9 h Tuesday-Friday, then 5 h the next Monday.
    deadline = SANTA_MONICA.add_business_time(la(2026, 6, 8, 10), 48 * HOUR)
    assert deadline == la(2026, 6, 15, 13)


def test_zero_duration_returns_start_unchanged() -> None:
    saturday = la(2026, 6, 13, 10)
    assert SANTA_MONICA.add_business_time(saturday, timedelta()) is saturday


def test_on_hold_pause_and_resume() -> None:
    # Submitted Monday 09:00 with 48 h; on hold Tuesday 12:00; resumed Thursday 10:00.
    submitted, held, resumed = la(2026, 6, 8, 9), la(2026, 6, 9, 12), la(2026, 6, 11, 10)
    used = SANTA_MONICA.business_time_between(submitted, held)
    assert used == 12 * HOUR
    deadline = SANTA_MONICA.add_business_time(resumed, 48 * HOUR - used)
    assert deadline == la(2026, 6, 17, 10)


# --- Daylight saving time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("friday", "monday"),
    [(date(2026, 3, 6), date(2026, 3, 9)), (date(2026, 10, 30), date(2026, 11, 2))],
)
def test_business_day_is_nine_hours_across_dst_change(friday: date, monday: date) -> None:
    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), LA)

    assert at(friday, 8).utcoffset() != at(monday, 8).utcoffset()
    add = SANTA_MONICA.add_business_time
    assert add(at(friday, 8), 9 * HOUR) == at(friday, 17)
    assert add(at(monday, 8), 9 * HOUR) == at(monday, 17)
    assert add(at(friday, 17), 9 * HOUR) == at(monday, 17)
    assert add(at(friday, 8), 18 * HOUR) == at(monday, 17)
    assert SANTA_MONICA.business_time_between(at(friday, 8), at(monday, 17)) == 18 * HOUR


@pytest.mark.parametrize("sunday", [date(2026, 3, 8), date(2026, 11, 1)])
def test_open_on_the_day_of_the_dst_change(sunday: date) -> None:
    every_day = {day: ["08:00", "17:00"] for day in ("sat", "sun", "mon")}
    calendar = BusinessCalendar.from_config("America/Los_Angeles", every_day)
    saturday = datetime.combine(sunday - timedelta(days=1), time(8), LA)
    closing = datetime.combine(sunday, time(17), LA)
    assert calendar.add_business_time(saturday, 18 * HOUR) == closing
    assert calendar.business_time_between(saturday, closing) == 18 * HOUR


@pytest.mark.parametrize(("sunday", "hours"), [(date(2026, 3, 8), 23), (date(2026, 11, 1), 25)])
def test_all_day_opening_lasts_the_real_length_of_the_day(sunday: date, hours: int) -> None:
    calendar = BusinessCalendar.from_config("America/Los_Angeles", {"sun": ["00:00", "24:00"]})
    midnight = datetime.combine(sunday, time(0), LA)
    next_midnight = datetime.combine(sunday + timedelta(days=1), time(0), LA)
    assert calendar.business_time_between(midnight, next_midnight) == hours * HOUR
    assert calendar.add_business_time(midnight, hours * HOUR) == next_midnight


def test_wall_times_in_the_spring_forward_gap_are_read_an_hour_later() -> None:
    # 02:00-03:00 does not exist on 2026-03-08 in Los Angeles. As in Python itself (PEP 495,
    # fold=0) such a time is read with the offset before the change, so an hour later.
    march = la(2026, 3, 1), la(2026, 4, 1)  # five Sundays
    inside = BusinessCalendar.from_config("America/Los_Angeles", {"sun": ["02:15", "02:45"]})
    assert inside.business_time_between(*march) == 5 * 30 * MINUTE
    assert inside.add_business_time(la(2026, 3, 1, 3), 30 * MINUTE) == la(2026, 3, 8, 3, 45)
    # Opening read as 03:30 is after the 03:00 closing: no hours that Sunday.
    straddling = BusinessCalendar.from_config("America/Los_Angeles", {"sun": ["02:30", "03:00"]})
    assert straddling.business_time_between(*march) == 4 * 30 * MINUTE
    assert straddling.add_business_time(la(2026, 3, 1, 3), 30 * MINUTE) == la(2026, 3, 15, 3)


def test_a_date_the_zone_skipped_entirely_has_no_hours() -> None:
    # Samoa jumped the date line: 2011-12-30 never happened in Apia.
    calendar = BusinessCalendar.from_config("Pacific/Apia", None)
    start, end = datetime(2011, 12, 20, tzinfo=UTC), datetime(2012, 1, 20, tzinfo=UTC)
    assert calendar.business_time_between(start, end) == end - start
    assert calendar.add_business_time(start, end - start) == end


# --- Properties -------------------------------------------------------------------------


@PROPERTY
@given(zone=st.sampled_from(ZONES), start=aware_datetimes, duration=durations)
def test_round_the_clock_is_plain_addition(zone: str, start: datetime, duration: timedelta) -> None:
    # In UTC, so `+` is elapsed time: on a zoned datetime it is wall-clock arithmetic,
    # which is off by the DST change when the sum crosses one.
    start = start.astimezone(UTC)
    assert ROUND_THE_CLOCK.add_business_time(start, duration) == start + duration
    all_day = BusinessCalendar.from_config(zone, {})
    assert all_day.add_business_time(start, duration) == start + duration
    assert all_day.business_time_between(start, start + duration) == duration


@PROPERTY
@given(start=aware_datetimes, duration=durations)
def test_santa_monica_round_trip(start: datetime, duration: timedelta) -> None:
    deadline = SANTA_MONICA.add_business_time(start, duration)
    assert deadline >= start
    assert SANTA_MONICA.business_time_between(start, deadline) == duration


@PROPERTY
@given(calendar=calendars(), start=aware_datetimes, duration=durations)
def test_round_trip_on_any_calendar(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> None:
    deadline = calendar.add_business_time(start, duration)
    assert deadline >= start
    assert calendar.business_time_between(start, deadline) == duration


@PROPERTY
@given(calendar=calendars(), moments=st.lists(aware_datetimes, min_size=3, max_size=3))
def test_between_is_additive(calendar: BusinessCalendar, moments: list[datetime]) -> None:
    a, b, c = sorted(moments)
    between = calendar.business_time_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(c, a) == timedelta()


@PROPERTY
@given(calendar=calendars(), start=aware_datetimes, duration=durations)
def test_week_skipping_matches_day_by_day_reference(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add_business_time(start, duration)
    assert deadline == (start if not duration else reference_add(calendar, start, duration))
    end = start + duration * 3
    assert calendar.business_time_between(start, end) == reference_between(calendar, start, end)


@PROPERTY
@given(
    calendar=calendars(),
    start=aware_datetimes,
    offsets=st.lists(st.integers(min_value=0, max_value=10 * 24 * 60), min_size=1, max_size=30),
    minutes=st.integers(0, 500 * 60),
)
def test_deadlines_of_many_starts_at_once_are_each_starts_own(
    calendar: BusinessCalendar, start: datetime, offsets: list[int], minutes: int
) -> None:
    # An import asks for a batch's deadlines at once; each must be what one start alone gets.
    # Whole minutes, as the calendars' hours are, so starts and deadlines fall on openings and closings.
    start, duration = start.replace(second=0, microsecond=0), timedelta(minutes=minutes)
    starts = [start + timedelta(minutes=offset) for offset in offsets]
    assert calendar.add_business_time_to_each(starts, duration) == [
        calendar.add_business_time(each, duration) for each in starts
    ]


def test_a_batch_deadline_at_a_closing_time_is_that_closing_time() -> None:
    # An opening, midday, and a Sunday evening (counting from Monday's opening), nine hours each.
    starts = [la(2026, 3, 2, 8), la(2026, 3, 2, 12), la(2026, 3, 1, 20)]
    assert SANTA_MONICA.add_business_time_to_each(starts, 9 * HOUR) == [
        la(2026, 3, 2, 17),
        la(2026, 3, 3, 12),
        la(2026, 3, 2, 17),
    ]


def test_ten_years_of_business_time_round_trips() -> None:
    # How fast this is belongs in bench/ (tests never assert on time); here, that it is right.
    start, duration = la(2026, 1, 2, 10), timedelta(days=3650)
    deadline = SANTA_MONICA.add_business_time(start, duration)
    assert SANTA_MONICA.business_time_between(start, deadline) == duration
    assert deadline.year > 2060  # 87,600 hours at 45 a week is about 37 years


# --- Configuration ----------------------------------------------------------------------


def test_from_config_parses_the_stored_json() -> None:
    stored = {"Monday": ["09:00", "12:30"], "SAT": [" 22:00 ", "24:00"]}
    calendar = BusinessCalendar.from_config("Europe/Paris", stored, ["2026-07-14"])
    assert calendar.hours == {0: (time(9), time(12, 30)), 5: (time(22), time(0))}
    assert calendar.holidays == frozenset({date(2026, 7, 14)})
    assert calendar == BusinessCalendar("Europe/Paris", dict(calendar.hours), calendar.holidays)
    same = {"mon": ["9:00", "12:30"], "sat": ["22:00", "24:00"]}
    twin = BusinessCalendar.from_config("Europe/Paris", same, ["2026-07-14"])
    assert twin == calendar
    assert hash(twin) == hash(calendar)


@pytest.mark.parametrize("hours", [None, {}])
def test_no_hours_means_round_the_clock(hours: dict[str, list[str]] | None) -> None:
    calendar = BusinessCalendar.from_config("America/Los_Angeles", hours)
    assert calendar.hours == {day: (time(0), time(0)) for day in range(7)}


def test_calendar_does_not_share_the_callers_dict() -> None:
    hours = {0: (time(8), time(17))}
    calendar = BusinessCalendar("UTC", hours)
    hours[1] = (time(8), time(17))
    assert 1 not in calendar.hours


@pytest.mark.parametrize(
    ("timezone", "hours", "holidays", "message"),
    [
        ("Mars/Olympus_Mons", None, [], "unknown time zone 'Mars/Olympus_Mons'"),
        ("", None, [], "unknown time zone"),
        ("UTC", {"funday": ["08:00", "17:00"]}, [], "unknown weekday 'funday'"),
        ("UTC", {"mon": ["08:00", "25:00"]}, [], "'mon': bad time '25:00'"),
        ("UTC", {"mon": ["08:60", "17:00"]}, [], "bad time '08:60'"),
        ("UTC", {"mon": ["8am", "5pm"]}, [], "bad time '8am'"),
        ("UTC", {"mon": ["17:00", "08:00"]}, [], "closing '08:00' not after opening"),
        ("UTC", {"mon": ["08:00", "08:00"]}, [], "not after opening"),
        ("UTC", {"mon": ["08:00", "00:00"]}, [], "use '24:00' for midnight"),
        ("UTC", {"mon": ["08:00"]}, [], r"expected \[open, close\]"),
        ("UTC", {"mon": "08:00-17:00"}, [], r"expected \[open, close\]"),
        ("UTC", {"mon": ["8:00", "9:00"], "Monday": ["8:00", "9:00"]}, [], "given twice"),
        ("UTC", None, ["2026-02-30"], "bad holiday '2026-02-30'"),
    ],
)
def test_bad_config_is_refused_with_a_clear_message(
    timezone: str, hours: Any, holidays: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_config(timezone, hours, holidays)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({7: (time(8), time(17))}, "weekday must be 0"),
        ({0: (time(17), time(8))}, "monday: close 08:00:00 not after open 17:00:00"),
    ],
)
def test_bad_hours_are_refused_by_the_constructor(hours: dict[int, tuple[time, time]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar("UTC", hours)


# --- Refused inputs -----------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    naive, aware = datetime(2026, 6, 10, 9), la(2026, 6, 10, 9)
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        SANTA_MONICA.add_business_time(naive, HOUR)
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        SANTA_MONICA.add_business_time(naive, timedelta())
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        SANTA_MONICA.business_time_between(naive, aware)
    with pytest.raises(ValueError, match="end must be an aware datetime"):
        SANTA_MONICA.business_time_between(aware, naive)


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        SANTA_MONICA.add_business_time(la(2026, 6, 10, 9), -HOUR)


def test_calendar_without_any_hours_is_refused() -> None:
    closed = BusinessCalendar("UTC", {})
    with pytest.raises(ValueError, match="no business hours on any weekday"):
        closed.add_business_time(la(2026, 6, 10, 9), HOUR)
    assert closed.business_time_between(la(2026, 1, 1), la(2027, 1, 1)) == timedelta()


def test_holidays_for_years_ahead_do_not_loop_for_ever() -> None:
    start = la(2026, 1, 1, 9)
    days = [(date(2026, 1, 1) + timedelta(days=n)).isoformat() for n in range(3 * 366)]
    closed = BusinessCalendar.from_config("America/Los_Angeles", WEEKDAYS_8_TO_5, days)
    with pytest.raises(ValueError, match="no business hours at all"):
        closed.add_business_time(start, HOUR)
    one_year = BusinessCalendar.from_config("America/Los_Angeles", WEEKDAYS_8_TO_5, days[:366])
    assert one_year.add_business_time(start, HOUR) == la(2027, 1, 4, 9)


def test_result_is_in_utc_whatever_the_start_zone() -> None:
    tokyo = datetime(2026, 6, 10, 9, tzinfo=ZoneInfo("Asia/Tokyo"))  # Tuesday 17:00 in LA
    deadline = SANTA_MONICA.add_business_time(tokyo, HOUR)
    assert deadline.tzinfo is UTC
    assert deadline == la(2026, 6, 10, 9)
