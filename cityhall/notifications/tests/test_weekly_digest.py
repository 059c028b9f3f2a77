"""The supervisors' weekly digest, over the real SMTP path, with figures worked out by hand.

The story (America/Los_Angeles, April 2026; business hours 8:00–17:00, Monday to Friday):

Public Works, the week before (Mon 6 – Sun 12 April):
- P1, pothole at City Hall, Mon 6 09:00; resolved by staff at 13:00 (4 h, within its SLA); rated 3
  on Tue 7.
- P2, pothole in Ocean Park, Tue 7 09:00; open.
Public Works, the digest's week (Mon 13 – Sun 19 April):
- P3, pothole at City Hall, Mon 13 09:00; resolved 11:00 (2 h); rated 5 on Tue 14.
- P4, pothole at City Hall, Mon 13 10:00; resolved Wed 15 10:00 (48 h: 18 business hours of its 45).
- G1, graffiti at City Hall, Tue 14 09:00; resolved Fri 17 09:00 (72 h: past its 18 business hours).
- P5, pothole in Ocean Park, Wed 15 09:00; open.
Planning: ten auto repair complaints at City Hall on Thu 16 April, none before: unusual.

The digest goes out on Monday 20 April at 7:00 (CITYHALL_DIGEST_HOUR).
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from cityhall.accounts.models import Role, User
from cityhall.catalogue.models import Department
from cityhall.core import clock
from cityhall.dashboards.buckets import bucket_of, representative
from cityhall.dashboards.readings import duration
from cityhall.dashboards.services import rebuild
from cityhall.geo.lookup import zone_for_point
from cityhall.requests import access, services
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution

from ..models import Message, MessageStatus
from ..services.weekly_digests import QUIET, due_week
from ..tasks import send_weekly_digests
from .helpers import act, html_of, subject_of, text_of

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
HOUR = 3600
MONDAY_MORNING = datetime(2026, 4, 20, 7, 5, tzinfo=LA)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=LA)


def reading(seconds: float, language: str = "en") -> str:
    """What the dashboards show for a median resting on this duration: its bucket's middle (±9 %)."""
    with translation.override(language):
        return duration(representative(bucket_of(int(seconds))))


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def supervisors(people):
    """The suite's Public Works supervisor (English), a second one who reads Spanish, and Planning's."""
    planning = Department.objects.get(slug="planning-community-development")
    return {
        "en": people["supervisor"],
        "es": User.objects.create_user(
            "supervisora@example.org",
            None,
            name="Supervisora",
            role=Role.SUPERVISOR,
            language="es",
            department=people["supervisor"].department,
        ),
        "planning": User.objects.create_user(
            "jefa.planeacion@example.org", None, name="Jefa", role=Role.SUPERVISOR, language="es", department=planning
        ),
    }


@pytest.fixture
def story(people, service, supervisors):
    def at_moment(moment, write):
        with clock.travel(moment):
            return write()

    def resolve(request, moment):
        def write():
            request.refresh_from_db()
            act(
                request,
                Action.RESOLVE,
                access.actor_for(people["staff"], request),
                resolution=Resolution.NO_ACTION,
                reason="Done.",
            )

        at_moment(moment, write)

    def rate(request, rating, moment, comment=""):
        def write():
            request.refresh_from_db()
            services.service_request_feedback(
                service_request=request,
                actor=access.actor_for(None, request, token=request.tracking_token),
                rating=rating,
                comment=comment,
            )

        at_moment(moment, write)

    pothole, graffiti = service("potholes"), service("graffiti-public-property")
    p1 = at_moment(at(6, 9), lambda: submit(pothole, at=CITY_HALL))
    resolve(p1, at(6, 13))
    rate(p1, 3, at(7, 10))
    at_moment(at(7, 9), lambda: submit(pothole, at=OCEAN_PARK))
    p3 = at_moment(at(13, 9), lambda: submit(pothole, at=CITY_HALL))
    resolve(p3, at(13, 11))
    rate(p3, 5, at(14, 10), "Quick, thanks.")
    p4 = at_moment(at(13, 10), lambda: submit(pothole, at=CITY_HALL))
    resolve(p4, at(15, 10))
    g1 = at_moment(at(14, 9), lambda: submit(graffiti, at=CITY_HALL))
    resolve(g1, at(17, 9))
    at_moment(at(15, 9), lambda: submit(pothole, at=OCEAN_PARK))
    for minute in range(10):
        at_moment(at(16, 9, minute), lambda: submit(service("auto-repair"), at=CITY_HALL, description="Noise"))
    rebuild()  # the commits' own refresh does not run in a test's transaction


def test_each_supervisor_gets_their_departments_week_once_in_their_language(
    people, service, supervisors, story, smtp, santa_monica
):
    downtown = zone_for_point(santa_monica, *CITY_HALL).name
    with clock.travel(MONDAY_MORNING):
        assert due_week(clock.now()).isoformat() == "2026-04-13"
        send_weekly_digests.call()
        send_weekly_digests.call()  # the same week again: nothing more
        out = io.StringIO()
        call_command("weekly-digests", stdout=out)  # by hand, too: nothing more
    assert out.getvalue() == "Weekly digests: 3 sent.\n"  # the rows of the first run, as they stand
    # Supervisors only: staff, crews, the desk and admins get no weekly digest.
    assert sorted(address for _sender, rcpts in smtp.envelopes for address in rcpts) == sorted(
        ["supervisor@example.org", "supervisora@example.org", "jefa.planeacion@example.org"]
    )

    (english,) = smtp.to("supervisor@example.org")
    assert subject_of(english) == "Public Works, week of April 13, 2026: 4 received, 3 closed"
    text = one_line(text_of(english))
    assert "Public Works: the week from April 13, 2026 to April 19, 2026, beside the week before." in text
    # Received: P3, P4, G1, P5 (P1, P2 the week before). Closed: P3, P4, G1 (P1).
    assert "Received: 4 (the week before: 2)" in text
    assert "Closed: 3 (the week before: 1)" in text
    # Median to close: the 2nd of 2 h, 48 h, 72 h; the week before, P1's 4 h.
    assert f"Median time to close: {reading(48 * HOUR)} (the week before: {reading(4 * HOUR)})" in text
    print(
        text_of(english),
        text_of(smtp.to("supervisora@example.org")[0]),
        text_of(smtp.to("jefa.planeacion@example.org")[0]),
    )
    assert "SLA met: 67% (the week before: 100%)" in text  # P3 and P4 in time, G1 late; P1 in time
    assert "Resident satisfaction: 5.0 out of 5 (1 rating) (the week before: 3.0 out of 5 (1 rating))" in text
    # Open at 7:05 on Monday: P2 and P5; seven days earlier (Monday 13 at 7:05, before P3 came in): P2.
    assert "Open now: 2 (1 seven days earlier)" in text
    # Volume: downtown 3 against 1 (+2); graffiti 1 against 0 and potholes 3 against 2 (+1 each);
    # Ocean Park 1 and 1 did not move.
    assert f"- {downtown} (neighborhood): 3 received, 1 the week before" in text
    assert "- Graffiti - public property (category): 1 received, 0 the week before" in text
    assert "- Potholes (category): 3 received, 2 the week before" in text
    assert "Ocean Park (neighborhood)" not in text
    # Time to close: downtown's median 48 h against 4 h; potholes' the 1st of 2 h and 48 h against 4 h.
    # Graffiti closed nothing the week before: no change to measure.
    assert (
        f"- {downtown} (neighborhood): {reading(48 * HOUR)} to close (median), {reading(4 * HOUR)} the week before"
        in text
    )
    assert f"- Potholes (category): {reading(2 * HOUR)} to close (median), {reading(4 * HOUR)} the week before" in text
    assert "Nothing unusual" in text
    link = "https://311.example.gov/staff/dashboards/?from=2026-04-13&to=2026-04-19&grain=day&department=public-works"
    assert f"Open the dashboard for that week: {link}" in text
    assert "You receive this weekly digest as a supervisor of Public Works." in text
    assert "Change what you hear about: https://311.example.gov/notifications/preferences" in text
    # Another department's figures never appear: Planning's ten complaints.
    assert "Auto Repair" not in text and "10 received" not in text and "10 requests" not in text
    html = html_of(english)
    assert link.replace("&", "&amp;") in html and "<strong>4</strong>" in html and "Auto Repair" not in html

    (spanish,) = smtp.to("supervisora@example.org")
    assert subject_of(spanish) == "Obras Públicas, semana del 13 de abril de 2026: 4 recibidas, 3 cerradas"
    texto = one_line(text_of(spanish))
    assert "Recibidas: 4 (la semana anterior: 2)" in texto
    assert "Cerradas: 3 (la semana anterior: 1)" in texto
    assert (
        f"Mediana del tiempo de cierre: {reading(48 * HOUR, 'es')} (la semana anterior: {reading(4 * HOUR, 'es')})"
        in texto
    )
    assert "1,8 días" in texto  # the Spanish decimal comma
    assert "SLA cumplido: 67 % (la semana anterior: 100 %)" in texto
    assert "Satisfacción de los residentes: 5,0 de 5 (1 calificación)" in texto
    assert "Abiertas ahora: 2 (1 siete días antes)" in texto
    assert "- Baches (categoría): 3 recibidas, 2 la semana anterior" in texto
    assert f"Abrir el panel de esa semana: {link}" in texto

    (planning,) = smtp.to("jefa.planeacion@example.org")
    texto = one_line(text_of(planning))
    assert "Recibidas: 10 (la semana anterior: 0)" in texto
    # Ten this week against none in the 8 weeks before: far above, and at least 10.
    assert "- Talleres mecánicos (categoría): 10 solicitudes; normalmente 0 por semana." in texto
    assert f"- {downtown} (barrio): 10 solicitudes; normalmente 0 por semana." in texto
    assert "Baches" not in texto and "Recibidas: 4" not in texto

    assert Message.objects.filter(template="weekly_digest", status=MessageStatus.SENT).count() == 3


def test_a_supervisor_may_turn_it_off_and_a_quiet_department_is_not_written_to(people, supervisors, story, smtp):
    browser = Client()
    browser.force_login(people["supervisor"])
    page = browser.get("/notifications/preferences").content.decode()
    assert "A weekly digest of my department" in page
    response = browser.post(
        "/notifications/preferences", {"channel": "email", "delivery": "instant", "staff_digest": "on"}
    )
    assert response.status_code == 302
    # A supervisor of a department with no request at all.
    quiet = Department.objects.exclude(slug__in=["public-works", "planning-community-development"]).first()
    User.objects.create_user("quiet@example.org", None, role=Role.SUPERVISOR, department=quiet)
    with clock.travel(MONDAY_MORNING):
        send_weekly_digests.call()
    assert smtp.to("supervisor@example.org") == [] and smtp.to("quiet@example.org") == []
    assert len(smtp.to("supervisora@example.org")) == 1
    skipped = Message.objects.get(template="weekly_digest", address="quiet@example.org")
    assert (skipped.status, skipped.last_error) == (MessageStatus.SKIPPED, QUIET)
    # Staff who supervise nothing are not offered it.
    browser.force_login(people["staff"])
    assert "A weekly digest of my department" not in browser.get("/notifications/preferences").content.decode()


def test_before_mondays_hour_the_week_before_is_the_one_due(db):
    assert due_week(MONDAY_MORNING - timedelta(minutes=10)).isoformat() == "2026-04-06"
    assert due_week(MONDAY_MORNING + timedelta(days=6)).isoformat() == "2026-04-13"
