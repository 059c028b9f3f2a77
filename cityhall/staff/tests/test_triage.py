"""The 311 desk's triage queue and its one-step decision: route, merge, refer or reject (issue 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from cityhall.catalogue.models import Department
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK
from cityhall.staff.tests.helpers import UNROUTED, in_triage, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, people):
    client.force_login(people["agent"])
    return client


def _triage(client, request, language="en", **fields):
    data = {"outcome": "route", "service": request.service_id, "priority": 2, **fields}
    return client.post(reverse("staff:triage_request", args=[request.public_id]), data, HTTP_ACCEPT_LANGUAGE=language)


def test_the_queue_lists_new_unrouted_requests_oldest_first(agent_client, service, public_works):
    older, newer = in_triage(service(UNROUTED)), in_triage(service(UNROUTED))
    ServiceRequest.objects.filter(pk=older.pk).update(requested_at=older.requested_at - timedelta(hours=3))
    page = agent_client.get(reverse("staff:triage")).content.decode()
    assert page.index(older.public_id) < page.index(newer.public_id)
    assert "2 requests waiting" in page


@pytest.mark.parametrize(
    ("language", "now", "later"), [("en", "just now", "2\xa0hours ago"), ("es", "hace un momento", "hace 2\xa0horas")]
)
def test_the_queue_says_how_long_each_request_has_waited_and_just_now_under_a_minute(
    agent_client, service, language, now, later
):
    fresh, older = in_triage(service(UNROUTED)), in_triage(service(UNROUTED))
    ServiceRequest.objects.filter(pk=older.pk).update(requested_at=older.requested_at - timedelta(hours=2, minutes=1))
    page = agent_client.get(reverse("staff:triage"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    def waited(request):
        row = page[page.index(f">#{request.public_id}<") :]
        return row[: row.index("</tr>")]

    assert f'<span class="muted">({now})</span>' in waited(fresh)  # not "(0 minutes ago)"
    assert f'<span class="muted">({later})</span>' in waited(older)


def test_routed_requests_are_not_in_triage(agent_client, service):
    from cityhall.requests.tests.builders import submit

    routed = submit(service("potholes"))
    assert routed.public_id not in agent_client.get(reverse("staff:triage")).content.decode()


def test_route_with_a_new_category_and_priority_in_one_step(agent_client, service, public_works):
    request = in_triage(service(UNROUTED))
    graffiti = service("graffiti-public-property")
    response = _triage(
        agent_client,
        request,
        service=graffiti.pk,
        **{"attribute[SURFACE]": "WALL"},
        priority=3,
        department=public_works.pk,
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.service, request.department, request.priority) == (
        "routed",
        graffiti,
        public_works,
        3,
    )
    assert request.attributes == {"SURFACE": "WALL"}
    kinds = list(request.events.values_list("kind", "action"))
    assert (
        ("recategorised", "recategorise") in kinds
        and ("note", "priority") in kinds
        and ("transition", "route") in kinds
    )


def test_the_new_categorys_questions_apply_and_a_refusal_changes_nothing(agent_client, service, public_works):
    request = in_triage(service(UNROUTED))
    before = snapshot(request)
    response = _triage(
        agent_client, request, service=service("graffiti-public-property").pk, department=public_works.pk
    )
    assert response.status_code == 400
    assert "Please answer" in response.content.decode()
    assert snapshot(request) == before


def test_after_a_decision_the_agent_goes_on_to_the_next_oldest(agent_client, service, public_works):
    first, second = in_triage(service(UNROUTED)), in_triage(service(UNROUTED))
    response = _triage(agent_client, first, department=public_works.pk)
    assert response.url == reverse("staff:triage_request", args=[second.public_id])


def test_mark_as_duplicate_of_a_suggested_nearby_request_merges_the_reporter(agent_client, service, people):
    parent = in_triage(service(UNROUTED), at=CITY_HALL, reporter=people["other_resident"])
    duplicate = in_triage(service(UNROUTED), at=CITY_HALL, reporter=people["resident"])
    far = in_triage(service(UNROUTED), at=OCEAN_PARK)
    page = agent_client.get(reverse("staff:triage_request", args=[duplicate.public_id])).content.decode()
    suggestions = page.split('id="suggestions-heading"')[1].split("</ul>")[0]
    assert parent.public_id in suggestions and far.public_id not in suggestions

    response = _triage(agent_client, duplicate, outcome="duplicate", duplicate_of=parent.public_id)
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.resolution, duplicate.duplicate_of) == ("resolved", "duplicate", parent)
    assert list(parent.supports.values_list("user", flat=True)) == [people["resident"].pk]
    assert parent.events.filter(kind=RequestEvent.Kind.MERGED).exists()


def test_duplicate_needs_an_existing_parent(agent_client, service):
    request = in_triage(service(UNROUTED))
    before = snapshot(request)
    response = _triage(agent_client, request, outcome="duplicate", duplicate_of="99999999")
    assert response.status_code == 400
    assert "There is no request with that number." in response.content.decode()
    assert snapshot(request) == before


def test_refer_to_another_agency_with_a_link_and_a_note(agent_client, service):
    request = in_triage(service(UNROUTED))
    response = _triage(
        agent_client,
        request,
        outcome="refer",
        referred_to="LA County Public Works",
        referral_url="https://dpw.lacounty.gov",
        public_note="This road belongs to the county; they have your report.",
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution, request.referred_to, request.referral_url) == (
        "resolved",
        "referred",
        "LA County Public Works",
        "https://dpw.lacounty.gov",
    )
    assert request.status_note == "This road belongs to the county; they have your report."


def test_refer_needs_the_agency(agent_client, service):
    request = in_triage(service(UNROUTED))
    before = snapshot(request)
    response = _triage(agent_client, request, outcome="refer", referred_to="")
    assert response.status_code == 400
    assert "Name the agency" in response.content.decode()
    assert snapshot(request) == before


def test_reject_as_not_actionable_needs_a_reason_the_resident_reads(agent_client, service):
    request = in_triage(service(UNROUTED))
    assert _triage(agent_client, request, outcome="reject").status_code == 400
    assert ServiceRequest.objects.get(pk=request.pk).status == "submitted"
    assert _triage(agent_client, request, outcome="reject", reason="This is a private parking lot.").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution, request.status_note) == (
        "resolved",
        "no_action",
        "This is a private parking lot.",
    )


def test_route_needs_a_department_of_this_city(agent_client, service):
    request = in_triage(service(UNROUTED))
    response = _triage(agent_client, request)
    assert response.status_code == 400 and "Choose a department of this city." in response.content.decode()
    assert ServiceRequest.objects.get(pk=request.pk).department is None


def test_a_triaged_request_sends_the_agent_to_its_workspace(agent_client, service, public_works):
    request = in_triage(service(UNROUTED))
    _triage(agent_client, request, department=public_works.pk)
    response = agent_client.get(reverse("staff:triage_request", args=[request.public_id]))
    assert response.url == reverse("staff:request", args=[request.public_id])


def test_the_triage_pages_speak_spanish(agent_client, service):
    request = in_triage(service(UNROUTED))
    queue = agent_client.get(reverse("staff:triage"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Clasificación" in queue
    page = agent_client.get(reverse("staff:triage_request", args=[request.public_id]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Aplicar la decisión" in page.content.decode()
    error = _triage(agent_client, request, language="es")
    assert "Elija un departamento de esta ciudad." in error.content.decode()


def test_departments_of_the_city_are_offered_for_routing(agent_client, service):
    request = in_triage(service(UNROUTED))
    page = agent_client.get(reverse("staff:triage_request", args=[request.public_id])).content.decode()
    assert all(escape(name) in page for name in Department.objects.values_list("name", flat=True))


# --- only the chosen decision's fields (issue 14) ------------------------------------------------


def test_no_select_of_the_triage_page_starts_at_dashes(agent_client, service):
    request = in_triage(service(UNROUTED))  # no default department: the department select starts empty
    page = agent_client.get(reverse("staff:triage_request", args=[request.public_id])).content.decode()
    assert "---------" not in page
    assert '<option value="" selected>Choose a department</option>' in page


def test_each_decisions_fields_are_grouped_for_showing_only_the_chosen_one(agent_client, service):
    request = in_triage(service(UNROUTED))
    page = agent_client.get(reverse("staff:triage_request", args=[request.public_id])).content.decode()
    for outcome, field in [("route", "department"), ("duplicate", "duplicate_of"), ("refer", "referred_to")]:
        group = page.split(f'class="when when-{outcome}"')[1].split("</fieldset>")[0]
        assert f'name="{field}"' in group
    assert 'name="reason"' in page.split('class="when when-reject"')[1].split("</fieldset>")[0]


def test_fields_of_a_decision_not_chosen_are_ignored(agent_client, service, public_works):
    """Typed under one decision, then another chosen: the hidden fields do not travel with it."""
    request = in_triage(service(UNROUTED))
    answer = _triage(
        agent_client, request, outcome="route", department=public_works.pk, reason="Private lot", public_note="Hi"
    )
    assert answer.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.department) == ("routed", public_works)
    notes = [(e.public_note, e.internal_note) for e in request.events.all()]
    assert all(public == "" and internal == "" for public, internal in notes), notes
