"""Department queues, my work and the supervisor's SLA board: filters, counts, sorting, bulk actions (issue 6)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.seed import seed_requests
from cityhall.core import clock
from cityhall.requests import queues
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.workflow import Status
from cityhall.staff.tests.helpers import UNROUTED, in_status, snapshot

pytestmark = pytest.mark.django_db


def _due(request, *, allowed_hours: float, used_share: float):
    """Arrange a request whose SLA allowed `allowed_hours` and has used `used_share` of them."""
    now = clock.now()
    requested = now - timedelta(hours=allowed_hours * used_share)
    ServiceRequest.objects.filter(pk=request.pk).update(
        requested_at=requested, expected_at=requested + timedelta(hours=allowed_hours)
    )
    request.refresh_from_db()
    return request


# --- the selectors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "state"),
    [(0.1, queues.Sla.OK), (0.74, queues.Sla.OK), (0.8, queues.Sla.AT_RISK), (1.2, queues.Sla.OVERDUE)],
)
def test_sla_states_in_python_and_sql_agree(service, public_works, people, share, state):
    request = _due(
        in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"]),
        allowed_hours=40,
        used_share=share,
    )
    assert queues.sla_state(request, clock.now()) is state
    at_risk = queues.department_queue_page(public_works, queues.QueueFilter(sla=queues.Sla.AT_RISK)).rows
    overdue = queues.department_queue_page(public_works, queues.QueueFilter(sla=queues.Sla.OVERDUE)).rows
    assert (request in at_risk, request in overdue) == (state is queues.Sla.AT_RISK, state is queues.Sla.OVERDUE)


def test_on_hold_is_paused_never_overdue(service, public_works, people):
    request = _due(
        in_status(service("potholes"), Status.ON_HOLD, department=public_works, assignee=people["crew"]),
        allowed_hours=10,
        used_share=3,
    )
    assert queues.sla_state(request, clock.now()) is queues.Sla.PAUSED
    assert request not in queues.sla_board(public_works).overdue


def test_the_department_queue_is_sorted_by_expected_by_with_counts_per_status(service, public_works, people):
    later = _due(submit(service("potholes")), allowed_hours=100, used_share=0.1)
    sooner = _due(submit(service("potholes")), allowed_hours=10, used_share=0.1)
    started = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    page = queues.department_queue_page(public_works, queues.QueueFilter())
    assert page.rows.index(sooner) < page.rows.index(later)
    assert page.counts["routed"] == 2 and page.counts["in_progress"] == 1 and page.total == 3
    only = queues.department_queue_page(public_works, queues.QueueFilter(statuses=(Status.IN_PROGRESS,)))
    assert only.rows == [started] and only.total == 1 and only.counts["routed"] == 2


def test_my_work_is_nearest_first_or_soonest_due(service, public_works, people):
    crew = people["crew"]
    far = _due(
        in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=crew, at=OCEAN_PARK),
        allowed_hours=5,
        used_share=0.1,
    )
    near = _due(
        in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=crew, at=CITY_HALL),
        allowed_hours=50,
        used_share=0.1,
    )
    in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["staff"])
    assert queues.my_work(crew) == [far, near]
    assert queues.my_work(crew, near=CITY_HALL) == [near, far]


# --- the pages ---------------------------------------------------------------------------------


def test_filters_by_status_category_zone_assignee_and_due(client, people, service, public_works):
    crew_job = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    graffiti = submit(service("graffiti-public-property"), at=OCEAN_PARK)
    late = _due(submit(service("potholes")), allowed_hours=10, used_share=2)
    client.force_login(people["staff"])
    url = reverse("staff:department", args=[public_works.pk])

    def shown(**params):
        page = client.get(url, params).content.decode()
        return {r.public_id for r in (crew_job, graffiti, late) if r.public_id in page}

    assert shown() == {crew_job.public_id, graffiti.public_id, late.public_id}
    assert shown(status="assigned") == {crew_job.public_id}
    assert shown(service=graffiti.service_id) == {graffiti.public_id}
    assert shown(zone=graffiti.zone_id) == {graffiti.public_id}
    assert shown(assignee=people["crew"].pk) == {crew_job.public_id}
    assert shown(assignee="none") == {graffiti.public_id, late.public_id}
    assert shown(sla="overdue") == {late.public_id}
    page = client.get(url, {"view": "map", "sla": "overdue"}).content.decode()
    assert late.public_id in page.split('id="map-points"')[1].split("</script>")[0]
    assert graffiti.public_id not in page


@pytest.mark.parametrize(("language", "button"), [("en", "Filter"), ("es", "Filtrar")])
def test_the_queue_s_filter_button_says_what_it_does(client, people, public_works, language, button):
    client.force_login(people["staff"])
    page = client.get(reverse("staff:department", args=[public_works.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert f'<button type="submit">{button}</button>' in page.content.decode()  # not the noun "Filtro"


@pytest.mark.parametrize(("language", "any_value"), [("en", "All"), ("es", "Cualquiera")])
def test_the_queue_s_filters_say_any_in_a_word_of_either_gender(client, people, public_works, language, any_value):
    """The admin's "Todo" had won here; "Cualquiera" fits a field of either gender ("Zona", "Servicio")."""
    client.force_login(people["staff"])
    page = client.get(reverse("staff:department", args=[public_works.pk]), HTTP_ACCEPT_LANGUAGE=language)
    for field in ("service", "zone"):
        assert f'name="{field}"><option value="">{any_value}</option>' in page.content.decode(), field


def _queries(client, url):
    client.get(url)  # warm: the session and per-process caches settle on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queue_pages_cost_the_same_queries_for_3_or_50_rows(client, people, santa_monica, public_works):
    client.force_login(people["supervisor"])
    pages = [
        reverse("staff:department", args=[public_works.pk]),
        reverse("staff:department", args=[public_works.pk]) + "?view=map",
        reverse("staff:triage"),
        reverse("staff:supervisor"),
    ]
    client.force_login(people["admin"])
    pages[-1] = reverse("staff:supervisor_of", args=[public_works.pk])
    seed_requests(santa_monica, 12)
    few = {url: _queries(client, url) for url in pages}
    seed_requests(santa_monica, 400)
    many = {url: _queries(client, url) for url in pages}
    assert many == few
    assert max(many.values()) <= 20


def test_bulk_assign_and_bulk_status_change(client, people, service, public_works):
    rows = [submit(service("potholes")) for _ in range(3)]
    client.force_login(people["supervisor"])
    url = reverse("staff:bulk", args=[public_works.pk])
    picked = [r.public_id for r in rows[:2]]
    assert client.post(url, {"action": "assign", "assignee": people["crew"].pk, "requests": picked}).status_code == 302
    assert [ServiceRequest.objects.get(pk=r.pk).assignee for r in rows] == [people["crew"], people["crew"], None]
    response = client.post(url, {"action": "hold", "reason": "Storm.", "requests": picked}, follow=True)
    assert "2 requests changed." in response.content.decode()
    assert {ServiceRequest.objects.get(pk=r.pk).status for r in rows[:2]} == {"on_hold"}


def test_bulk_reports_each_refusal_and_leaves_those_requests_alone(client, people, service, public_works):
    fine = submit(service("potholes"))
    needs_photo = submit(service("potholes"))
    other_city_department = submit(service(UNROUTED))  # in triage: not in this queue
    before = snapshot(other_city_department)
    client.force_login(people["staff"])
    url = reverse("staff:bulk", args=[public_works.pk])
    ServiceRequest.objects.filter(pk=fine.pk).update(service=service(UNROUTED))  # a category without photo rule
    response = client.post(
        url,
        {
            "action": "resolve",
            "resolution": "fixed",
            "public_note": "Done.",
            "requests": [fine.public_id, needs_photo.public_id, other_city_department.public_id],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "1 request changed." in page
    assert f"#{needs_photo.public_id} not changed" in page
    assert "1 request is not in this queue" in page
    assert ServiceRequest.objects.get(pk=needs_photo.pk).status == "routed"
    assert snapshot(other_city_department) == before


def test_my_work_page_lists_what_is_assigned_to_me(client, people, service, public_works):
    mine = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    theirs = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["staff"])
    client.force_login(people["crew"])
    page = client.get(reverse("staff:my_work"), {"lat": CITY_HALL[0], "lng": CITY_HALL[1]}).content.decode()
    assert mine.public_id in page and theirs.public_id not in page
    assert "Nearest first." in page


def test_the_supervisor_sees_overdue_at_risk_and_workload_and_reassigns(client, people, service, public_works):
    overdue = _due(
        in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"]),
        allowed_hours=10,
        used_share=1.5,
    )
    at_risk = _due(
        in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"]),
        allowed_hours=10,
        used_share=0.9,
    )
    client.force_login(people["supervisor"])
    page = client.get(reverse("staff:supervisor")).content.decode()
    overdue_part = page.split("Overdue (1)")[1].split("At risk (1)")[0]
    assert overdue.public_id in overdue_part and at_risk.public_id not in overdue_part
    assert at_risk.public_id in page.split("At risk (1)")[1]
    workload = page.split("Workload per person")[1].split("</table>")[0]
    cells = re.sub(r'<span class="cell-label">[^<]*</span> ', "", workload)  # each cell names its column for phones
    assert "crew" in workload and "<td>2</td><td>1</td><td>1</td>" in cells
    bulk = reverse("staff:bulk", args=[public_works.pk])
    client.post(bulk, {"action": "assign", "assignee": people["staff"].pk, "requests": [overdue.public_id]})
    assert ServiceRequest.objects.get(pk=overdue.pk).assignee == people["staff"]


def test_a_live_refresh_of_the_board_leaves_the_bulk_notice_for_the_page_that_follows(
    client, people, service, public_works
):
    """The board refreshes itself when a request changes, which can race the redirect after a bulk change."""
    row = submit(service("potholes"))
    client.force_login(people["supervisor"])
    client.post(
        reverse("staff:bulk", args=[public_works.pk]),
        {"action": "assign", "assignee": people["crew"].pk, "requests": [row.public_id]},
    )
    refresh = client.get(reverse("staff:supervisor"), headers={"HX-Request": "true"})
    assert "1 request changed." not in refresh.content.decode()
    assert "1 request changed." in client.get(reverse("staff:supervisor")).content.decode()
