"""Field crews: who sees a crew's work, assigning to a crew, its queue, board, bulk, notices and admin."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.catalogue.models import Crew, Department
from cityhall.core.errors import ValidationFailed
from cityhall.notifications.models import Message
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Role, Status
from cityhall.staff.tests.helpers import in_status, snapshot

pytestmark = pytest.mark.django_db

BOGUS_ASSIGNEES = ["crew-999999", "crew-abc", "crew-", "crew-99999999999999999999", "99999999999999999999"]


@pytest.fixture
def planning(santa_monica) -> Department:
    return Department.objects.get(jurisdiction=santa_monica, slug="planning-community-development")


def _fresh(user: User) -> User:
    """The account as a new page load sees it (crew memberships are remembered on the user object)."""
    return User.objects.get(pk=user.pk)


def _act(client, request, action, **fields):
    return client.post(reverse("staff:act", args=[request.public_id]), {"action": action, **fields})


def _assigned_to(client, request) -> str:
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    found = re.search(r"<dd data-assignee>(.*?)</dd>", page)
    assert found, "no 'Assigned to' on the workspace"
    return found.group(1).strip()


def _crew_job(service, public_works, crew, **kwargs):
    return in_status(service("potholes"), Status.ASSIGNED, department=public_works, crew=crew, **kwargs)


def _transition(request, action, user, **change):
    return services.service_request_transition(
        service_request=request, action=action, actor=access.actor_for(user, request), change=services.Change(**change)
    )


# --- who the crew's work belongs to ------------------------------------------------------------


def test_crew_accounts_work_what_is_theirs_or_their_crews_and_nothing_else(people, service, public_works, street_crew):
    own = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    crews = _crew_job(service, public_works, street_crew)
    assert Role.CREW in access.roles_for(_fresh(people["crew"]), own)
    assert Role.CREW in access.roles_for(_fresh(people["crewmate"]), crews)
    # Same department and role, but neither assigned nor in the crew: no role at all.
    assert not access.is_staff_on(access.roles_for(_fresh(people["crew"]), crews))
    assert not access.is_staff_on(access.roles_for(_fresh(people["crewmate"]), own))


def test_members_of_an_inactive_crew_lose_its_work(client, people, service, public_works, street_crew):
    job = _crew_job(service, public_works, street_crew)
    street_crew.active = False
    street_crew.save()
    assert not access.is_staff_on(access.roles_for(_fresh(people["crewmate"]), job))
    client.force_login(people["crewmate"])
    assert client.get(reverse("staff:request", args=[job.public_id])).status_code == 404
    assert job.public_id not in client.get(reverse("staff:my_work")).content.decode()


@pytest.mark.parametrize("who", ["crew", "crewmate"])
def test_crew_accounts_have_no_department_queue(client, people, public_works, street_crew, who):
    client.force_login(people[who])
    assert client.get(reverse("staff:department", args=[public_works.pk])).status_code == 404
    bulk = client.post(reverse("staff:bulk", args=[public_works.pk]), {"action": "start", "requests": ["x"]})
    assert bulk.status_code == 404
    assert client.get(reverse("staff:home"))["Location"] == reverse("staff:my_work")  # their list instead


# --- assigning to a crew in the workspace ------------------------------------------------------


def test_a_crew_assigned_in_the_workspace_works_it_from_my_work(client, people, service, public_works, street_crew):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    assert f'value="crew-{street_crew.pk}"' in page  # offered in the "assign to" list
    assert _act(client, request, "assign", assignee=f"crew-{street_crew.pk}").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee, request.crew) == ("assigned", None, street_crew)
    assert _assigned_to(client, request) == "Street repair"
    event = request.events.get(action="assign")
    assert event.data["crew"] == "Street repair" and event.data["assignee"] is None

    client.force_login(people["crew"])  # in no crew: the request is not theirs to see
    assert client.get(reverse("staff:request", args=[request.public_id])).status_code == 404
    assert _act(client, request, "start").status_code == 404
    assert request.public_id not in client.get(reverse("staff:my_work")).content.decode()

    client.force_login(people["crewmate"])
    my_work = client.get(reverse("staff:my_work")).content.decode()
    assert request.public_id in my_work and "Street repair" in my_work
    assert _act(client, request, "start").status_code == 302
    photo = SimpleUploadedFile("done.jpg", jpeg_with_gps(), content_type="image/jpeg")
    done = _act(client, request, "resolve", resolution="fixed", public_note="Filled.", photos=photo)
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution, request.crew) == ("resolved", "fixed", street_crew)
    assert request.public_id not in client.get(reverse("staff:my_work")).content.decode()  # open work only


def test_my_work_maps_the_persons_and_their_crews_located_requests_and_no_others(
    client, people, service, public_works, street_crew
):
    own = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crewmate"])
    crews = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=None, crew=street_crew)
    someone_elses = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["staff"])
    client.force_login(people["crewmate"])
    page = client.get(reverse("staff:my_work"))
    points = page.context["map_points"]
    assert {p["id"] for p in points} == {own.public_id, crews.public_id}
    assert someone_elses.public_id not in page.content.decode()
    assert all(p["url"] == reverse("staff:request", args=[p["id"]]) for p in points)
    assert 'data-map data-points="map-points"' in page.content.decode()
    client.force_login(people["crew"])  # nothing assigned: no map, just the sentence
    empty = client.get(reverse("staff:my_work")).content.decode()
    assert "data-map" not in empty and "Nothing is assigned to you or your crew right now." in empty


def test_a_member_of_the_crew_on_it_leads_it_and_anyone_else_replaces_the_crew(
    client, people, service, public_works, street_crew
):
    request = _crew_job(service, public_works, street_crew)
    client.force_login(people["staff"])
    assert _act(client, request, "assign", assignee=people["crewmate"].pk).status_code == 302
    request.refresh_from_db()
    assert (request.assignee, request.crew) == (people["crewmate"], street_crew)
    assert request.assigned_to.startswith("crewmate") and "Street repair" in request.assigned_to
    assert _assigned_to(client, request) == request.assigned_to  # the lead and the crew, both named
    assert _act(client, request, "assign", assignee=people["crew"].pk).status_code == 302
    request.refresh_from_db()
    assert (request.assignee, request.crew) == (people["crew"], None)
    assert _assigned_to(client, request) == "crew"
    event = request.events.filter(action="assign").latest("created_at", "pk")
    assert event.data["assignee"] == "crew" and event.data["crew"] is None


def test_a_member_of_a_crew_since_deactivated_can_still_be_assigned_by_name(
    client, people, service, public_works, street_crew
):
    """The crew no longer works (inactive), so naming one of its members gives it to them alone."""
    request = _crew_job(service, public_works, street_crew)
    Crew.objects.filter(pk=street_crew.pk).update(active=False)
    client.force_login(people["staff"])
    response = _act(client, request, "assign", assignee=people["crewmate"].pk)
    assert response.status_code == 302, re.findall(r'class="form-errors".*?</div>', response.content.decode())
    request.refresh_from_db()
    assert (request.assignee, request.crew) == (people["crewmate"], None)


@pytest.mark.parametrize("value", BOGUS_ASSIGNEES)
def test_a_bogus_assign_to_in_the_workspace_is_refused_and_changes_nothing(client, people, service, value):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    before = snapshot(request)
    response = _act(client, request, "assign", assignee=value)
    assert response.status_code == 400
    assert snapshot(request) == before


def test_the_service_refuses_a_crew_the_person_is_not_in(people, service, public_works, street_crew):
    request = submit(service("potholes"))
    before = snapshot(request)
    with pytest.raises(ValidationFailed) as refused:
        _transition(request, Action.ASSIGN, people["staff"], assignee=people["crew"], crew=street_crew)
    assert "assignee" in refused.value.errors
    assert snapshot(request) == before
    _transition(request, Action.ASSIGN, people["staff"], assignee=people["crewmate"], crew=street_crew)
    request.refresh_from_db()
    assert (request.assignee, request.crew) == (people["crewmate"], street_crew)


@pytest.mark.parametrize("which", ["another department's", "inactive"])
def test_the_service_refuses_a_crew_of_another_department_or_an_inactive_one(
    people, service, public_works, planning, street_crew, which
):
    if which == "inactive":
        crew = street_crew
        Crew.objects.filter(pk=crew.pk).update(active=False)
        crew.refresh_from_db()
    else:
        crew = Crew.objects.create(department=planning, name="Sign crew")
    request = submit(service("potholes"))
    before = snapshot(request)
    with pytest.raises(ValidationFailed) as refused:
        _transition(request, Action.ASSIGN, people["staff"], crew=crew)
    assert "crew" in refused.value.errors
    assert snapshot(request) == before


def test_an_assignment_needs_a_person_or_a_crew(people, service):
    request = submit(service("potholes"))
    before = snapshot(request)
    with pytest.raises(ValidationFailed):
        _transition(request, Action.ASSIGN, people["staff"])
    assert snapshot(request) == before


# --- re-routing and reopening ------------------------------------------------------------------


def test_re_routing_clears_the_crew(client, people, service, public_works, planning, street_crew):
    request = _crew_job(service, public_works, street_crew, assignee=people["crewmate"])
    client.force_login(people["supervisor"])
    assert _act(client, request, "route", department=planning.pk).status_code == 302
    request.refresh_from_db()
    assert (request.department, request.assignee, request.crew) == (planning, None, None)


def test_reopening_clears_the_crew_and_the_timeline_keeps_which_it_was(
    client, people, service, public_works, street_crew
):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    assert _act(client, request, "assign", assignee=f"crew-{street_crew.pk}").status_code == 302
    client.force_login(people["crewmate"])
    assert _act(client, request, "resolve", resolution="no_action", reason="Nothing there.").status_code == 302
    client.force_login(people["staff"])
    assert _act(client, request, "reopen", reason="Still a hole.").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee, request.crew) == ("routed", None, None)
    reopened = request.events.get(action="reopen")
    assert reopened.data["previous_crew"] == "Street repair" and reopened.data["previous_assignee"] is None
    client.force_login(people["crewmate"])
    assert client.get(reverse("staff:request", args=[request.public_id])).status_code == 404


# --- the department queue and the supervisor's board -------------------------------------------


def test_the_queue_filters_by_crew_and_nobody_means_no_person_and_no_crew(
    client, people, service, public_works, street_crew
):
    crews = _crew_job(service, public_works, street_crew)
    led = _crew_job(service, public_works, street_crew, assignee=people["crewmate"])
    other_crew = Crew.objects.create(department=public_works, name="Graffiti crew")
    others = _crew_job(service, public_works, other_crew)
    persons = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    nobodys = submit(service("potholes"))
    everything = (crews, led, others, persons, nobodys)
    client.force_login(people["staff"])
    url = reverse("staff:department", args=[public_works.pk])

    def shown(assignee):
        response = client.get(url, {"assignee": assignee})
        assert response.status_code == 200
        page = response.content.decode()
        return {r.public_id for r in everything if r.public_id in page}

    assert shown(f"crew-{street_crew.pk}") == {crews.public_id, led.public_id}
    assert shown(f"crew-{other_crew.pk}") == {others.public_id}
    assert shown("none") == {nobodys.public_id}
    assert shown(people["crewmate"].pk) == {led.public_id}
    page = client.get(url).content.decode()
    led.refresh_from_db()
    assert "Street repair" in page and led.assigned_to in page  # the "assigned to" column names both


@pytest.mark.parametrize(
    "value", ["crew-abc", "crew-", "crew-999999", "crew-99999999999999999999", "99999999999999999999"]
)
def test_a_queue_filter_naming_no_crew_or_person_is_never_an_error(client, people, public_works, street_crew, value):
    client.force_login(people["staff"])
    response = client.get(reverse("staff:department", args=[public_works.pk]), {"assignee": value})
    assert response.status_code == 200


def test_the_board_shows_each_crews_open_work_and_links_to_its_queue(
    client, people, service, public_works, street_crew
):
    _crew_job(service, public_works, street_crew)
    _crew_job(service, public_works, street_crew, assignee=people["crewmate"])
    in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, crew=street_crew)
    in_status(service("potholes"), Status.RESOLVED, department=public_works)  # done: not workload
    in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    client.force_login(people["supervisor"])
    page = client.get(reverse("staff:supervisor")).content.decode()
    workload = page.split("Workload per person and crew")[1].split("</table>")[0]
    workload = re.sub(r'<span class="cell-label">[^<]*</span> ', "", workload)  # each cell names its column for phones
    link = reverse("staff:department", args=[public_works.pk]) + f"?assignee=crew-{street_crew.pk}"
    row = re.search(rf'<tr><td><a href="{re.escape(link)}">Street repair</a>.*?</tr>', workload)
    assert row, workload
    assert "(crew)" in row.group(0)
    assert re.findall(r"<td>(\d+)</td>", row.group(0))[0] == "3"
    crewmate_row = re.search(rf'\?assignee={people["crewmate"].pk}">crewmate</a>.*?</tr>', workload)
    assert crewmate_row and re.findall(r"<td>(\d+)</td>", crewmate_row.group(0))[0] == "1"
    # People come first, then crews.
    assert workload.index(">crewmate</a>") < workload.index(">Street repair</a>")


# --- bulk --------------------------------------------------------------------------------------


def test_bulk_assigns_the_ticked_requests_to_a_crew(client, people, service, public_works, street_crew):
    rows = [submit(service("potholes")) for _ in range(3)]
    client.force_login(people["supervisor"])
    url = reverse("staff:bulk", args=[public_works.pk])
    picked = [r.public_id for r in rows[:2]]
    response = client.post(
        url, {"action": "assign", "assignee": f"crew-{street_crew.pk}", "requests": picked}, follow=True
    )
    assert "2 requests changed." in response.content.decode()
    fresh = [ServiceRequest.objects.get(pk=r.pk) for r in rows]
    assert [(r.assignee, r.crew) for r in fresh] == [(None, street_crew), (None, street_crew), (None, None)]
    assert [r.status for r in fresh] == ["assigned", "assigned", "routed"]


def test_bulk_assigning_a_member_of_each_requests_crew_keeps_the_crew(
    client, people, service, public_works, street_crew
):
    crew_job = in_status(service("potholes"), Status.ASSIGNED, department=public_works, crew=street_crew)
    loose = submit(service("potholes"))
    client.force_login(people["supervisor"])
    client.post(
        reverse("staff:bulk", args=[public_works.pk]),
        {"action": "assign", "assignee": people["crewmate"].pk, "requests": [crew_job.public_id, loose.public_id]},
    )
    fresh = [ServiceRequest.objects.get(pk=r.pk) for r in (crew_job, loose)]
    assert [(r.assignee, r.crew) for r in fresh] == [(people["crewmate"], street_crew), (people["crewmate"], None)]


@pytest.mark.parametrize("value", [*BOGUS_ASSIGNEES, "another department's crew", "an inactive crew"])
def test_bulk_with_a_bogus_crew_changes_nothing_and_says_so(
    client, people, service, public_works, planning, street_crew, value
):
    if value == "another department's crew":
        value = f"crew-{Crew.objects.create(department=planning, name='Sign crew').pk}"
    elif value == "an inactive crew":
        value = f"crew-{Crew.objects.create(department=public_works, name='Old crew', active=False).pk}"
    rows = [submit(service("potholes")) for _ in range(2)]
    before = [snapshot(r) for r in rows]
    client.force_login(people["supervisor"])
    url = reverse("staff:bulk", args=[public_works.pk])
    response = client.post(url, {"action": "assign", "assignee": value, "requests": [r.public_id for r in rows]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose who to assign the requests to." in page
    assert [snapshot(r) for r in rows] == before


# --- notices -----------------------------------------------------------------------------------


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CITYHALL_PUBLIC_URL = "https://311.example.gov"


def test_assigning_a_crew_tells_each_member_but_the_one_assigning(
    client, people, service, public_works, street_crew, immediate_tasks, django_capture_on_commit_callbacks
):
    street_crew.members.add(people["staff"])  # the one who assigns is in the crew too
    away = User.objects.create_user("away@example.org", None, role="crew", name="away", department=public_works)
    away.is_active = False
    away.save()
    street_crew.members.add(away)
    request = submit(service("potholes"), reporter=people["resident"])
    client.force_login(people["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, request, "assign", assignee=f"crew-{street_crew.pk}").status_code == 302
    event = request.events.get(action="assign")
    told = Message.objects.filter(event=event, template="assigned_to_you")
    assert sorted(told.values_list("address", flat=True)) == ["crewmate@example.org"]
    subjects = [m.subject for m in mail.outbox if m.to == ["crewmate@example.org"]]
    assert subjects == [f"Assigned to you: #{request.public_id} Potholes"]
    assert not [m for m in mail.outbox if {"staff@example.org", "away@example.org"} & set(m.to)]


def test_a_person_leading_a_crew_is_the_only_one_told(
    client, people, service, public_works, street_crew, immediate_tasks, django_capture_on_commit_callbacks
):
    street_crew.members.add(people["crew"])
    request = _crew_job(service, public_works, street_crew)
    client.force_login(people["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, request, "assign", assignee=people["crewmate"].pk).status_code == 302
    event = request.events.get(action="assign")
    told = Message.objects.filter(event=event, template="assigned_to_you")
    assert list(told.values_list("address", flat=True)) == ["crewmate@example.org"]


# --- cost --------------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # warm: the session and per-process caches settle on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_my_work_costs_the_same_queries_for_1_or_5_crew_requests(client, people, service, public_works, street_crew):
    other_crew = Crew.objects.create(department=public_works, name="Graffiti crew")
    other_crew.members.add(people["crewmate"])
    first = _crew_job(service, public_works, street_crew)
    client.force_login(people["crewmate"])
    url = reverse("staff:my_work")
    one, page = _queries(client, url)
    assert first.public_id in page
    more = [
        _crew_job(service, public_works, street_crew),
        _crew_job(service, public_works, street_crew, assignee=people["crewmate"]),
        _crew_job(service, public_works, other_crew),
        _crew_job(service, public_works, other_crew, assignee=people["crewmate"]),
    ]
    five, page = _queries(client, url)
    assert all(r.public_id in page for r in [first, *more])
    led = ServiceRequest.objects.get(pk=more[3].pk)
    assert "Graffiti crew" in led.assigned_to and led.assigned_to in page and "Street repair" in page
    assert five == one


# --- the admin ---------------------------------------------------------------------------------


def _crew_form(crew_department, members, **extra):
    return {
        "department": crew_department.pk,
        "name": "Street repair",
        "members": [m.pk for m in members],
        "active": "on",
        "_save": "Save",
        **extra,
    }


def test_the_crew_admin_refuses_a_member_of_another_department(client, people, public_works, street_crew):
    client.force_login(people["admin"])
    url = reverse("admin:catalogue_crew_change", args=[street_crew.pk])
    form = client.get(url)
    assert form.status_code == 200
    # Each candidate says which department they work in, so the admin can tell whom a crew may take.
    members = re.search(r'<select name="members".*?</select>', form.content.decode(), re.DOTALL)
    assert members is not None
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', members[0])
    choices = {unescape(text): value for value, text in options}
    assert choices[f"{people['crewmate']} (Public Works)"] == str(people["crewmate"].pk)
    assert f"{people['other_staff']} ({people['other_staff'].department})" in choices
    assert not any(str(people["resident"]) in text for text in choices)
    response = client.post(url, _crew_form(public_works, [people["crewmate"], people["other_staff"]]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not staff of Public Works: planner." in page
    assert list(street_crew.members.all()) == [people["crewmate"]]
    added = client.post(
        reverse("admin:catalogue_crew_add"), _crew_form(public_works, [people["other_staff"]], name="Night crew")
    )
    assert added.status_code == 200 and "Not staff of Public Works" in added.content.decode()
    assert not Crew.objects.filter(name="Night crew").exists()
    # The same form with staff of the department saves.
    saved = client.post(url, _crew_form(public_works, [people["crewmate"], people["crew"]]))
    assert saved.status_code == 302
    assert set(street_crew.members.all()) == {people["crewmate"], people["crew"]}
