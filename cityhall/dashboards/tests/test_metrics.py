"""Every metric against numbers worked out by hand on a small story of four requests.

The story (America/Los_Angeles, 2026):
- A, pothole at City Hall, web, Mon 2 Mar 09:00; assigned 10:00 (first response 1 h); resolved
  Wed 1 Apr 09:00 (720 h: past its 45-business-hour SLA; 719 h of real time, as the clocks went
  forward on 8 March); rated 2 on 1 Apr, with a comment.
- B, pothole in Ocean Park, phone, Mon 2 Mar 09:00; assigned 11:00 (2 h); resolved Tue 3 Mar
  09:00; reopened Wed 4 Mar 10:00, so open now and not closed.
- C, graffiti at City Hall, web, Tue 3 Mar 09:00; a public reply 09:30 (0.5 h); resolved as a
  duplicate by the 311 agent 10:00 (1 h, within its SLA); rated 4 at 11:00, without a comment.
- D, pothole at City Hall, web, Wed 4 Mar 09:00; assigned to the crew member 09:30 (0.5 h); open.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityhall.catalogue.models import Department
from cityhall.core import clock
from cityhall.dashboards import selectors
from cityhall.dashboards.filters import Filters
from cityhall.requests import access, services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
HOUR = 3600
TODAY = date(2026, 4, 2)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LA)


def within_bucket(seconds: float):
    """Percentiles come from log-scale buckets: within ±9 % of the exact value (docs/dashboards.md)."""
    return pytest.approx(seconds, rel=0.09)


@pytest.fixture
def story(people, service, django_capture_on_commit_callbacks):
    def step(moment, write):
        with clock.travel(moment), django_capture_on_commit_callbacks(execute=True):
            return write()

    def act(request, who, action, **change):
        request.refresh_from_db()
        actor = (
            access.actor_for(people[who], request)
            if who
            else access.actor_for(None, request, token=request.tracking_token)
        )
        return services.service_request_transition(
            service_request=request, action=action, actor=actor, change=Change(**change)
        )

    def rate(request, rating, comment=""):
        request.refresh_from_db()
        actor = access.actor_for(None, request, token=request.tracking_token)
        return services.service_request_feedback(service_request=request, actor=actor, rating=rating, comment=comment)

    pothole, graffiti = service("potholes"), service("graffiti-public-property")
    a = step(at(2, 9), lambda: submit(pothole, at=CITY_HALL))
    b = step(at(2, 9), lambda: submit(pothole, at=OCEAN_PARK, channel="phone"))
    step(at(2, 10), lambda: act(a, "supervisor", Action.ASSIGN, assignee=people["staff"]))
    step(at(2, 11), lambda: act(b, "supervisor", Action.ASSIGN, assignee=people["staff"]))
    c = step(at(3, 9), lambda: submit(graffiti, at=CITY_HALL))
    step(at(3, 9), lambda: act(b, "staff", Action.RESOLVE, resolution=Resolution.NO_ACTION, reason="None found."))
    step(at(3, 9, 30), lambda: act(c, "agent", Action.COMMENT, public_note="Looking into it."))
    step(at(3, 10), lambda: act(c, "agent", Action.RESOLVE, resolution=Resolution.DUPLICATE, duplicate_of=a))
    step(at(3, 11), lambda: rate(c, 4))
    d = step(at(4, 9), lambda: submit(pothole, at=CITY_HALL))
    step(at(4, 9, 30), lambda: act(d, "supervisor", Action.ASSIGN, assignee=people["crew"]))
    step(at(4, 10), lambda: act(b, "agent", Action.REOPEN, reason="Still there."))
    step(at(1, 9, month=4), lambda: act(a, "staff", Action.RESOLVE, resolution=Resolution.NO_ACTION, reason="Done."))
    step(at(1, 10, month=4), lambda: rate(a, 2, "A month for <one> pothole."))
    return {"a": a, "b": b, "c": c, "d": d}


def period(**kwargs) -> Filters:
    return Filters(start=date(2026, 3, 1), end=date(2026, 4, 5), **kwargs)


def test_volume_by_week_with_last_year(story):
    points = selectors.volume(period(grain="week"))
    weeks = {p.period: (p.received, p.closed, p.received_last_year, p.closed_last_year) for p in points}
    # Received: A, B (Mon), C (Tue), D (Wed) in the week of 2 March. Closed and still closed: C on
    # 3 March, A on 1 April (B was closed on 3 March but reopened, so it no longer counts).
    assert weeks == {date(2026, 3, 2): (4, 1, 0, 0), date(2026, 3, 30): (0, 1, 0, 0)}


def test_volume_by_month_and_day(story):
    months = {p.period: (p.received, p.closed) for p in selectors.volume(period(grain="month"))}
    assert months == {date(2026, 3, 1): (4, 1), date(2026, 4, 1): (0, 1)}
    days = {p.period: (p.received, p.closed) for p in selectors.volume(period(grain="day"))}
    assert days == {
        date(2026, 3, 2): (2, 0),
        date(2026, 3, 3): (1, 1),
        date(2026, 3, 4): (1, 0),
        date(2026, 4, 1): (0, 1),
    }


def test_backlog_by_age_and_oldest_open(story):
    backlog = selectors.backlog(period(), TODAY)
    # Open now: B (received 2 March: 31 days before 2 April) and D (4 March: 29 days).
    assert dict(backlog.buckets) == {"0–2": 0, "3–7": 0, "8–30": 1, "31–90": 1, "90+": 0}
    assert backlog.total == 2
    assert [r.public_id for r in selectors.oldest_open(period())] == [story["b"].public_id, story["d"].public_id]


def test_speed_per_service_median_p90_and_sla_ranked(story, service):
    rows = {row.name: row for row in selectors.speed(period(), by="service")}
    by_code = {row.key: row for row in rows.values()}
    pothole, graffiti = by_code[service("potholes").pk], by_code[service("graffiti-public-property").pk]
    # Potholes closed: A only (720 h). First responses: A 1 h, B 2 h, D 0.5 h → sorted 0.5, 1, 2:
    # median = the 2nd (⌈0.5·3⌉) = 1 h, p90 = the 3rd (⌈0.9·3⌉) = 2 h.
    assert pothole.closed == 1
    assert pothole.close_median == within_bucket(720 * HOUR) and pothole.close_p90 == within_bucket(720 * HOUR)
    assert pothole.response_median == within_bucket(1 * HOUR)
    assert pothole.response_p90 == within_bucket(2 * HOUR)
    assert (pothole.sla_due, pothole.sla_met, pothole.sla_met_percent) == (1, 0, 0)
    # Graffiti: C closed in 1 h, within its 18-business-hour SLA; first response 0.5 h.
    assert graffiti.close_median == within_bucket(HOUR) and graffiti.response_median == within_bucket(HOUR / 2)
    assert graffiti.sla_met_percent == 100
    # Worst SLA first.
    assert [row.key for row in selectors.speed(period(), by="service")] == [pothole.key, graffiti.key]


def test_speed_per_department(story, public_works):
    (row,) = selectors.speed(period(), by="department")
    # Closed: A (720 h) and C (1 h): median = the 1st of 2 = 1 h, p90 = the 2nd = 720 h.
    # Responses 0.5 (C), 0.5 (D), 1 (A), 2 (B): median = the 2nd = 0.5 h, p90 = the 4th = 2 h.
    assert (row.key, row.name, row.closed) == (public_works.pk, "Public Works", 2)
    assert row.close_median == within_bucket(HOUR) and row.close_p90 == within_bucket(720 * HOUR)
    assert row.response_median == within_bucket(HOUR / 2) and row.response_p90 == within_bucket(2 * HOUR)
    assert row.sla_met_percent == 50


def test_reopen_duplicate_verified_and_auto_closed(story):
    rates = selectors.rates(period())
    assert (rates.received, rates.reopened, rates.duplicates, rates.closed) == (4, 1, 1, 2)
    assert rates.reopen_rate == 25 and rates.duplicate_rate == 25
    assert (rates.verified, rates.auto_closed) == (0, 0)  # both are resolved, awaiting the resident


def test_satisfaction_trend(story):
    trend = selectors.satisfaction(period(grain="week"))
    assert [(s.period, s.rated, s.mean) for s in trend] == [(date(2026, 3, 2), 1, 4), (date(2026, 3, 30), 1, 2)]


def test_median_close_by_neighborhood(story):
    rows = selectors.close_time_by_zone(period())
    # A and C are downtown near City Hall; B (Ocean Park) is not closed any more.
    assert len(rows) == 1 and rows[0].closed == 2
    assert rows[0].close_median == within_bucket(HOUR)


def test_workload_open_now_and_closed_in_the_period(story, people, service):
    load = selectors.workload(period())
    # Open and assigned now: D, with the crew member (B was unassigned by its reopen). Closed in the
    # period and done still: A, resolved by staff after 719 h of real time; C, resolved by the agent
    # after 1 h (medians read from the buckets, as the department's). B's resolution by staff no
    # longer counts: it was reopened. Busiest first: most open, then most closed, then by name.
    assert [(r.key, r.name, r.open, r.closed, r.close_median) for r in load.people] == [
        (people["crew"].pk, "crew", 1, 0, None),
        (people["agent"].pk, "agent", 0, 1, within_bucket(1 * HOUR)),
        (people["staff"].pk, "staff", 0, 1, within_bucket(719 * HOUR)),
    ]
    assert load.crews == []
    # March alone: A was closed on 1 April, so staff closed nothing and have nothing open.
    march = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [(r.name, r.open, r.closed) for r in selectors.workload(march).people] == [("crew", 1, 0), ("agent", 0, 1)]
    # The other filters apply to both columns: graffiti is C alone.
    assert [
        (r.name, r.open, r.closed)
        for r in selectors.workload(period(service=service("graffiti-public-property"))).people
    ] == [("agent", 0, 1)]


def test_a_crews_work_and_the_median_of_what_it_closed(
    people, service, street_crew, django_capture_on_commit_callbacks
):
    """Four potholes given to the street crew on Mon 13 April 08:00; its member resolves three after
    2 h, 30 h and 5 h; the fourth stays open with the crew."""
    started = datetime(2026, 4, 13, 8, tzinfo=LA)
    made = []
    for hours in (2, 30, 5, None):
        with clock.travel(started), django_capture_on_commit_callbacks(execute=True):
            request = submit(service("potholes"))
            services.service_request_transition(
                service_request=request,
                action=Action.ASSIGN,
                actor=access.actor_for(people["supervisor"], request),
                change=Change(crew=street_crew),
            )
        if hours is not None:
            # The closures are counted from the rollups' facts, as the worker leaves them after the commit.
            with clock.travel(started + timedelta(hours=hours)), django_capture_on_commit_callbacks(execute=True):
                request.refresh_from_db()
                services.service_request_transition(
                    service_request=request,
                    action=Action.RESOLVE,
                    actor=access.actor_for(people["crewmate"], request),
                    change=Change(resolution=Resolution.NO_ACTION, reason="Done."),
                )
        made.append(request)
    load = selectors.workload(Filters(start=date(2026, 4, 13), end=date(2026, 4, 19)))
    # Closed: 2 h, 5 h, 30 h sorted; the median is the 2nd of 3 (⌈0.5·3⌉), 5 h, within its bucket.
    assert [(r.key, r.name, r.open, r.closed, r.close_median) for r in load.crews] == [
        (street_crew.pk, "Street repair", 1, 3, within_bucket(5 * HOUR))
    ]
    # The person who resolved them: nothing open on their own name (the work is the crew's).
    assert [(r.key, r.open, r.closed, r.close_median) for r in load.people] == [
        (people["crewmate"].pk, 0, 3, within_bucket(5 * HOUR))
    ]
    # Nothing of it outside the period; a department of its own only.
    assert selectors.workload(Filters(start=date(2026, 4, 20), end=date(2026, 4, 26))).crews[0].closed == 0
    planning = Department.objects.get(slug="planning-community-development")
    assert selectors.workload(Filters(start=date(2026, 4, 13), end=date(2026, 4, 19), department=planning)) == (
        selectors.Workload([], [])
    )


def test_the_residents_comments_newest_first_within_the_filters(story, service):
    found = selectors.comments(period())
    # Two ratings: C's 4 without a comment (not listed), A's 2 with one, on 1 April at 10:00.
    assert found.total == 1
    (comment,) = found.newest
    assert (comment.public_id, comment.rating, comment.comment, comment.category) == (
        story["a"].public_id,
        2,
        "A month for <one> pothole.",
        "Potholes",
    )
    assert comment.given_at == at(1, 10, month=4)
    assert selectors.comments(period(service=service("graffiti-public-property"))).total == 0
    assert selectors.comments(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))).total == 0


def test_the_backlog_at_a_past_moment_from_the_timelines(story):
    # 3 March 12:00: A open; B resolved at 09:00 and C at 10:00 (done then); D not yet received.
    assert selectors.open_at(period(), at(3, 12)) == 1
    # 4 March 12:00: A, B (reopened at 10:00) and D.
    assert selectors.open_at(period(), at(4, 12)) == 3
    # The day after A was closed: B and D, the backlog the rollups count now.
    assert selectors.open_at(period(), at(2, 12, month=4)) == 2 == selectors.backlog(period(), TODAY).total
    planning = Department.objects.get(slug="planning-community-development")
    assert selectors.open_at(period(department=planning), at(4, 12)) == 0


def test_filters_narrow_every_metric(story, service):
    phone = period(channel="phone")
    assert selectors.rates(phone).received == 1
    graffiti = period(service=service("graffiti-public-property"))
    assert [(p.received, p.closed) for p in selectors.volume(graffiti)] == [(1, 1)]
    assert selectors.backlog(graffiti, TODAY).total == 0
