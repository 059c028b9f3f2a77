"""Finding a request by its number: in every queue, and from the "Go to request" box of the staff header (HTTP)."""

from __future__ import annotations

import pytest

from cityhall.requests.workflow import Status
from cityhall.staff.tests.helpers import UNROUTED, in_status, in_triage

pytestmark = pytest.mark.django_db


def numbers_listed(response) -> list[str]:
    return [row.public_id for row in response.context["page"].rows]


def test_the_triage_queue_finds_a_request_by_its_number(client, people, service):
    wanted, other = in_triage(service(UNROUTED)), in_triage(service(UNROUTED))
    client.force_login(people["agent"])
    assert numbers_listed(client.get("/staff/triage/", {"number": wanted.public_id})) == [wanted.public_id]
    assert numbers_listed(client.get("/staff/triage/", {"number": f" #{wanted.public_id} "})) == [wanted.public_id]
    assert other.public_id in numbers_listed(client.get("/staff/triage/"))
    nothing = client.get("/staff/triage/", {"number": "00000000"})
    assert numbers_listed(nothing) == []
    assert "No waiting request has a number starting with 00000000." in nothing.content.decode()


def test_the_department_queue_finds_a_request_by_its_number(client, people, service, public_works):
    wanted = in_status(service("potholes"), Status.ROUTED, department=public_works)
    in_status(service("potholes"), Status.ROUTED, department=public_works)
    client.force_login(people["staff"])
    url = f"/staff/departments/{public_works.pk}/"
    assert numbers_listed(client.get(url, {"number": wanted.public_id})) == [wanted.public_id]
    assert numbers_listed(client.get(url, {"number": wanted.public_id, "status": "assigned"})) == []


def test_my_work_finds_a_request_by_its_number(client, people, service, public_works):
    wanted = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    other = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    client.force_login(people["crew"])
    listed = [row.public_id for row in client.get("/staff/my-work/", {"number": wanted.public_id}).context["rows"]]
    assert listed == [wanted.public_id] and other.public_id not in listed


def test_go_to_request_opens_the_workspace_of_an_exact_number(client, people, service):
    request = in_triage(service(UNROUTED))
    client.force_login(people["agent"])
    response = client.get("/staff/go", {"number": f"# {request.public_id} "})
    assert response.status_code == 302 and response["Location"] == f"/staff/requests/{request.public_id}/"


@pytest.mark.parametrize("typed", ["00000000", "1234", "pothole"])
def test_go_to_request_says_clearly_there_is_no_such_request(client, people, typed):
    client.force_login(people["agent"])
    response = client.get("/staff/go", {"number": typed})
    assert response.status_code == 404
    assert f"No request {typed}" in response.content.decode()


def test_go_to_request_answers_in_the_clerks_language(client, people):
    client.force_login(people["agent"])
    response = client.get("/staff/go", {"number": "00000000"}, headers={"accept-language": "es"})
    assert response.status_code == 404 and "No hay ninguna solicitud 00000000" in response.content.decode()


def test_go_to_request_does_not_open_another_departments_request(client, people, service, public_works):
    theirs = in_status(service("potholes"), Status.ROUTED, department=public_works)
    client.force_login(people["other_staff"])  # Planning
    response = client.get("/staff/go", {"number": theirs.public_id})
    assert response.status_code == 404 and f"No request {theirs.public_id}" in response.content.decode()


def test_every_staff_page_has_the_go_to_request_box(client, people):
    client.force_login(people["supervisor"])
    for url in ("/staff/supervisor/", "/staff/my-work/"):
        page = client.get(url).content.decode()
        assert 'action="/staff/go"' in page and 'name="number"' in page
