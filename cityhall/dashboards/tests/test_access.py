"""Who sees which dashboards: every role, and nothing of another department through page, filter or CSV.

Expectations are written out by hand. Public Works has two requests (potholes), Planning one
(an auto repair complaint): a Public Works person must never see Planning's count or names.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboards:dashboards")
CITY_WIDE = {"agent", "admin"}
PUBLIC_WORKS = {"staff", "supervisor"}
PLANNING = {"other_staff"}
NOBODY = {"resident", "crew", "crewmate"}


@pytest.fixture
def world(people, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"))
        submit(service("potholes"))
        submit(service("auto-repair"), description="Noise at the garage")


def received(response) -> int:
    """The page's headline 'Received' figure."""
    text = response.content.decode()
    start = text.index('<ul class="figures">')
    return int(text[start:].split("<strong>", 1)[1].split("<", 1)[0])


def get(client, people, who, url=PAGE, **params):
    if who != "anonymous":
        client.force_login(people[who])
    return client.get(url, params)


@pytest.mark.parametrize("who", sorted(CITY_WIDE | PUBLIC_WORKS | PLANNING | NOBODY | {"anonymous"}))
def test_each_role_sees_its_own_scope(client, people, world, who):
    response = get(client, people, who)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if who in NOBODY:
        assert response.status_code == 404
        assert get(client, people, who, reverse("dashboards:chart_csv", args=["received"])).status_code == 404
        return
    assert response.status_code == 200
    expected = {**dict.fromkeys(CITY_WIDE, 3), **dict.fromkeys(PUBLIC_WORKS, 2), **dict.fromkeys(PLANNING, 1)}
    assert received(response) == expected[who]
    page = response.content.decode()
    if who in PUBLIC_WORKS:
        assert "Auto Repair" not in page.split('<div class="charts">', 1)[1]
    if who in PLANNING:
        assert "Potholes" not in page.split('<div class="charts">', 1)[1]


@pytest.mark.parametrize("who", sorted(PUBLIC_WORKS))
def test_another_department_cannot_be_reached_by_filter_or_csv(client, people, world, who):
    refused = get(client, people, who, department="planning-community-development")
    assert refused.status_code == 400
    assert "your own department only" in refused.content.decode()
    assert '<div class="charts">' not in refused.content.decode()
    # Asking for Planning's category gives Public Works' count of it: none.
    assert received(get(client, people, who, service="auto-repair")) == 0
    csv = get(client, people, who, reverse("dashboards:chart_csv", args=["close-time"]))
    assert csv.status_code == 200 and "Auto Repair" not in csv.content.decode()
    csv = get(
        client,
        people,
        who,
        reverse("dashboards:chart_csv", args=["received"]),
        department="planning-community-development",
    )
    assert csv.status_code == 400 and csv["Content-Type"].startswith("text/plain")


def test_city_wide_people_may_pick_a_department(client, people, world):
    assert received(get(client, people, "admin", department="planning-community-development")) == 1
    assert received(get(client, people, "agent", department="public-works")) == 2


@pytest.mark.parametrize(
    "params",
    [{"colour": "red"}, {"from": "2026-05-01", "to": "2026-01-01"}, {"from": "0001-01-01"}, {"grain": "x" * 5000}],
)
def test_bad_filters_answer_a_clear_message_not_a_500(client, people, world, params):
    response = get(client, people, "admin", **params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_staff_navigation_links_the_dashboards_for_those_who_may_see_them(client, people):
    client.force_login(people["supervisor"])
    assert PAGE in client.get(reverse("staff:my_work")).content.decode()
    client.force_login(people["crew"])
    assert PAGE not in client.get(reverse("staff:my_work")).content.decode()


@pytest.fixture
def rated(people, service, django_capture_on_commit_callbacks):
    """A resolved pothole (Public Works) and a resolved auto repair complaint (Planning), each rated with
    a comment a resident typed: markup in one, to be shown as text."""
    from cityhall.requests import access, services
    from cityhall.requests.services import Change
    from cityhall.requests.workflow import Action, Resolution

    def resolved_and_rated(code, who, comment):
        with django_capture_on_commit_callbacks(execute=True):
            request = submit(service(code))
            services.service_request_transition(
                service_request=request,
                action=Action.RESOLVE,
                actor=access.actor_for(people[who], request),
                change=Change(resolution=Resolution.NO_ACTION, reason="Done."),
            )
            request.refresh_from_db()
            services.service_request_feedback(
                service_request=request,
                actor=access.actor_for(None, request, token=request.tracking_token),
                rating=2,
                comment=comment,
            )
        return request

    return {
        "pothole": resolved_and_rated("potholes", "staff", '<script>alert("hi")</script> Still a hole.'),
        "garage": resolved_and_rated("auto-repair", "other_staff", "The garage is still noisy."),
    }


def comments_section(response) -> str:
    return response.content.decode().split('<section aria-labelledby="comments">', 1)[1].split("</section>", 1)[0]


def test_residents_comments_are_escaped_and_stay_in_their_department(client, people, rated):
    section = comments_section(get(client, people, "supervisor"))
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; Still a hole." in section
    assert "<script>" not in section
    assert f'href="/staff/requests/{rated["pothole"].public_id}/"' in section
    assert "2 out of 5" in section and "Potholes" in section
    assert "1 rating with a comment in this period." in section
    assert "garage" not in section
    # The desk sees the city's: both.
    section = comments_section(get(client, people, "agent"))
    assert "Still a hole." in section and "The garage is still noisy." in section
    # A category filter narrows them like everything else.
    assert "Still a hole." not in comments_section(get(client, people, "agent", service="auto-repair"))


def test_residents_comments_never_reach_the_public_scorecard(client, rated):
    page = client.get(reverse("performance")).content.decode()
    assert "Still a hole" not in page and "garage is still noisy" not in page


def test_the_workload_counts_what_each_person_closed(client, people, rated):
    page = get(client, people, "supervisor").content.decode()
    table = page.split('<h2 id="workload">', 1)[1].split("</table>", 1)[0]
    # Public Works' staff resolved the pothole; Planning's staff and their garage are not on this page.
    assert '<th scope="row">staff</th>' in table and "planner" not in table
    assert '<span class="cell-label">Closed in this period</span> 1' in table


@pytest.mark.parametrize(
    ("language", "department", "column"),
    [("en", "Public Works", "Median to close"), ("es", "Obras Públicas", "Mediana hasta el cierre")],
)
def test_one_who_closed_all_of_a_department_s_requests_reads_its_median_to_close(
    client, people, service, django_capture_on_commit_callbacks, language, department, column
):
    """Public Works' staff closes three potholes after 2, 5 and 30 hours: the median is 5 hours in both tables."""
    from datetime import timedelta

    from cityhall.core import clock
    from cityhall.requests import access, services
    from cityhall.requests.services import Change
    from cityhall.requests.workflow import Action, Resolution

    start = clock.now() - timedelta(days=3)
    for hours in (2, 5, 30):
        with clock.travel(start), django_capture_on_commit_callbacks(execute=True):
            request = submit(service("potholes"))
        with clock.travel(start + timedelta(hours=hours)), django_capture_on_commit_callbacks(execute=True):
            services.service_request_transition(
                service_request=request,
                action=Action.RESOLVE,
                actor=access.actor_for(people["staff"], request),
                change=Change(resolution=Resolution.NO_ACTION, reason="Done."),
            )
    client.force_login(people["supervisor"])
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    label = f'<span class="cell-label">{column}</span>'
    of_department = page.split(f'<th scope="row">{department}</th>', 1)[1].split(label, 1)[1].split("</td>", 1)[0]
    of_person = page.split('<th scope="row">staff</th>', 1)[1].split(label, 1)[1].split("</td>", 1)[0]
    assert of_department.strip() and of_person == of_department


def test_the_page_in_spanish_has_no_english_headings_left(client, people, world):
    """Headings and table headers come from the dashboards' own catalogue, percent signs included."""
    client.force_login(people["supervisor"])
    html = client.get(PAGE, headers={"accept-language": "es"}).content.decode()

    for spanish in ("El 90 % cerrado en", "Carga de trabajo por persona y cuadrilla", "Persona o cuadrilla"):
        assert spanish in html
    for english in ("90% closed within", "Workload per person and crew", "Person or crew", ">Department<"):
        assert english not in html


@pytest.mark.parametrize(
    ("language", "figures", "reading"),
    [
        ("en", ("Received<strong>", "Closed<strong>"), "Mean rating 2.0 out of 5, from 1 rating."),
        ("es", ("Recibidas<strong>", "Cerradas<strong>"), "Valoración media de 2,0 sobre 5, de 1 valoración."),
    ],
)
def test_counts_are_plural_and_one_rating_is_one(client, people, rated, language, figures, reading):
    """Spanish counts agree with "solicitudes" ("Cerradas 1", not a request's "Cerrada"); 1 rating, not "1 ratings"."""
    client.force_login(people["supervisor"])
    page = client.get(PAGE, headers={"accept-language": language}).content.decode()
    card = page[page.index('<ul class="figures">') :]
    card = card[: card.index("</ul>")]
    for figure in figures:
        assert figure in card
    assert reading in page
    closed = {"en": "Closed", "es": "Cerradas"}[language]  # the closed chart's series, this year
    assert f'<th scope="col">{closed}</th>' in page
