"""Filters: every bad one is refused with a message naming what is wrong; good ones are read whole."""

from __future__ import annotations

from datetime import date

import pytest

from cityhall.dashboards.filters import FilterError, parse_filters

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"colour": "red"}, "Unknown filter: colour."),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "The period starts after it ends."),
        ({"from": "1999-12-31"}, "Choose a period between 2000 and today."),
        ({"to": "2031-01-01"}, "Choose a period between 2000 and today."),
        ({"from": "2001-01-01", "to": "2026-01-01"}, "Choose a period of five years or less."),
        ({"from": "yesterday"}, "Write dates as YYYY-MM-DD."),
        ({"grain": "hour"}, "Show the period by day, week or month."),
        (
            {"grain": "day", "from": "2024-01-01", "to": "2025-01-02"},
            "Show a period longer than a year by week or month.",
        ),
        ({"channel": "pigeon"}, "Unknown channel: pigeon."),
        ({"department": "no-such-department"}, "Nothing matches the department filter."),
        ({"service": "<script>"}, "Nothing matches the service filter."),
        ({"group": "99999999999999999999"}, "Nothing matches the group filter."),
        ({"zone": "atlantis"}, "Nothing matches the zone filter."),
    ],
)
def test_bad_filters_are_refused_with_a_clear_message(santa_monica, params, message):
    with pytest.raises(FilterError) as refused:
        parse_filters(params, today=TODAY)
    assert str(refused.value) == message


def test_good_filters_are_read_and_default_to_the_last_90_days(santa_monica, public_works):
    assert parse_filters({}, today=TODAY).start == date(2026, 9, 6)
    filters = parse_filters(
        {"from": "2026-01-01", "to": "2026-03-31", "grain": "month", "department": "public-works", "channel": "phone"},
        today=TODAY,
    )
    assert (filters.start, filters.end, filters.grain, filters.department, filters.channel) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "month",
        public_works,
        "phone",
    )
    assert parse_filters(filters.as_query(), today=TODAY) == filters


def test_a_year_by_day_is_the_longest_daily_view(santa_monica):
    year = parse_filters({"grain": "day", "from": "2024-01-01", "to": "2025-01-01"}, today=TODAY)
    assert (year.end - year.start).days == 366
