"""Issue 18, finding 2: a date parameter at either end of the calendar is refused by name, never a 500.

It used to overflow while the 90-day window was computed, or when an offset pushed it past year 1
or 9999, and answer an HTML 500.
"""

from __future__ import annotations

import pytest

from .helpers import BASE, FORMATS, assert_error

pytestmark = pytest.mark.django_db


# The probe's URLs (issue 18, finding 2), and the same parameters at the other end of the calendar.
EXTREME_DATES = [
    ("end_date", "0001-01-01T00:00:00Z"),
    ("start_date", "9999-12-31T00:00:00Z"),
    ("updated_after", "0001-01-01T00:00:00+14:00"),
    ("updated_before", "9999-12-31T23:59:59-12:00"),
    ("start_date", "0001-01-01T00:00:00+14:00"),
    ("end_date", "9999-12-31T23:59:59-12:00"),
    ("updated_after", "9999-12-31"),
    ("updated_before", "0001-01-01"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "value"), EXTREME_DATES)
def test_a_date_at_the_end_of_the_calendar_is_refused_by_name(client, santa_monica, name, value, fmt):
    descriptions = assert_error(client.get(f"{BASE}requests.{fmt}", {name: value}), 400, fmt)
    assert descriptions[0].startswith(f"{name} must be a date between 1900 and 2999"), descriptions


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "value"), [(n, v) for n, v in EXTREME_DATES if n in ("start_date", "end_date")])
def test_the_updates_list_refuses_them_too(client, santa_monica, name, value, fmt):
    descriptions = assert_error(client.get(f"{BASE}servicerequestupdates.{fmt}", {name: value}), 400, fmt)
    assert descriptions[0].startswith(f"{name} must be a date between 1900 and 2999"), descriptions


@pytest.mark.parametrize("fmt", FORMATS)
def test_dates_inside_the_years_still_answer(client, santa_monica, fmt):
    window = {"start_date": "1900-01-01T00:00:00+14:00", "end_date": "1900-03-01T00:00:00Z"}
    for resource in ("requests", "servicerequestupdates"):
        assert client.get(f"{BASE}{resource}.{fmt}", window).status_code == 200
    assert client.get(f"{BASE}requests.{fmt}", {"updated_before": "2999-12-31T23:59:59-12:00"}).status_code == 200
