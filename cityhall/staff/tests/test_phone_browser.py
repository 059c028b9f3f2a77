"""Staff pages a clerk or supervisor reads on a 360-px phone, in English and Spanish (issue 14): the SLA board
keeps its headings, "Go to request" from the header, triage showing only the chosen decision's fields."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cityhall.core import clock
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Status
from cityhall.staff.tests.browser_helpers import sign_in
from cityhall.staff.tests.helpers import UNROUTED, in_status, in_triage
from tests.browser import PHONE, axe_violations, fits_the_screen, screenshot, values_under_their_labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet


@pytest.fixture
def spanish_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, locale="es")
    yield context.new_page()
    context.close()


def no_sideways_scrolling(page) -> bool:
    return fits_the_screen(page)


def overdue_request(service, public_works, people) -> ServiceRequest:
    late = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    started = clock.now() - timedelta(days=20)
    ServiceRequest.objects.filter(pk=late.pk).update(requested_at=started, expected_at=started + timedelta(days=5))
    return late


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Person or crew", "Open", "At risk", "Overdue"]),
        ("es", ["Persona o cuadrilla", "Abiertas", "En riesgo", "Vencidas"]),
    ],
)
def test_the_sla_board_keeps_its_headings_on_a_phone(
    request, live_server, people, service, public_works, language, labels
):
    page = request.getfixturevalue("spanish_phone" if language == "es" else "phone")
    late = overdue_request(service, public_works, people)
    sign_in(page, people["supervisor"], live_server.url)
    page.goto("/staff/supervisor/")
    workload = page.locator("table.workload tbody tr").filter(has_text="crew").first
    for label in labels:
        expect(workload.get_by_text(label, exact=True)).to_be_visible()
    overdue_row = page.locator("table.queue tbody tr").filter(has_text=late.public_id)
    expect(overdue_row.get_by_text("Categoría" if language == "es" else "Category", exact=True)).to_be_visible()
    assert no_sideways_scrolling(page)
    screenshot(page, f"staff-supervisor-phone-{language}")
    assert axe_violations(page) == []


def test_the_workspace_reads_on_a_phone(phone, live_server, people, service, public_works):
    job = in_status(
        service("potholes"),
        Status.ASSIGNED,
        department=public_works,
        assignee=people["crew"],
        description="A deep pothole by the bus stop, about the size of a car tire",
    )
    sign_in(phone, people["staff"], live_server.url)
    phone.goto(f"/staff/requests/{job.public_id}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text(job.public_id)
    assert no_sideways_scrolling(phone)
    description = phone.locator(".facts dd").filter(has_text="A deep pothole")
    assert description.evaluate("e => e.getBoundingClientRect().width") > 250, "the value has the width of the screen"
    screenshot(phone, "staff-workspace-phone")
    assert axe_violations(phone) == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_go_to_request_from_the_staff_header(request, live_server, people, service, language):
    page = request.getfixturevalue("spanish_phone" if language == "es" else "phone")
    wanted = in_triage(service(UNROUTED))
    sign_in(page, people["agent"], live_server.url)
    page.goto("/staff/")
    box = page.get_by_role("textbox", name="Ir a la solicitud" if language == "es" else "Go to request")
    box.fill("12345")
    box.press("Enter")
    missing = "No hay ninguna solicitud 12345" if language == "es" else "No request 12345"
    expect(page.get_by_role("heading", level=1)).to_have_text(missing)
    screenshot(page, f"staff-go-to-missing-phone-{language}")
    assert axe_violations(page) == []
    box = page.get_by_role("textbox", name="Ir a la solicitud" if language == "es" else "Go to request")
    box.fill(wanted.public_id)
    page.get_by_role("button", name="Ir" if language == "es" else "Go", exact=True).click()
    expect(page).to_have_url(re.compile(f"/staff/requests/{wanted.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(wanted.public_id)


def test_a_queue_finds_a_request_by_number_on_a_phone(phone, live_server, people, service):
    wanted, other = in_triage(service(UNROUTED)), in_triage(service(UNROUTED))
    sign_in(phone, people["agent"], live_server.url)
    phone.goto("/staff/triage/")
    phone.get_by_role("textbox", name="Request number").fill(wanted.public_id)
    phone.get_by_role("button", name="Find").click()
    expect(phone.get_by_role("link", name=f"#{wanted.public_id}")).to_be_visible()
    expect(phone.get_by_role("link", name=f"#{other.public_id}")).to_have_count(0)
    expect(phone.locator("table.queue tbody tr").first.get_by_text("Received", exact=True)).to_be_visible()
    assert no_sideways_scrolling(phone)
    assert values_under_their_labels(phone) == [], "a long place wraps beside its column's name"
    screenshot(phone, "staff-triage-queue-search-phone")
    assert axe_violations(phone) == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_triage_shows_only_the_chosen_decisions_fields(request, live_server, people, service, size):
    page = request.getfixturevalue(size)
    waiting = in_triage(service(UNROUTED))
    sign_in(page, people["agent"], live_server.url)
    page.goto(f"/staff/triage/{waiting.public_id}/")
    department, agency = page.get_by_label("Department", exact=True), page.get_by_label("Agency", exact=True)
    reason = page.get_by_label("Reason (needed when not actionable)")
    expect(department).to_be_visible()
    expect(department.locator("option:checked")).to_have_text("Choose a department")
    for hidden in (agency, reason, page.get_by_label("Duplicate of request number")):
        expect(hidden).to_be_hidden()
    page.get_by_role("radio", name="Refer to another agency").check()
    expect(agency).to_be_visible()
    expect(page.get_by_label("Note to the resident")).to_be_visible()
    expect(department).to_be_hidden()
    expect(reason).to_be_hidden()
    screenshot(page, f"staff-triage-refer-{size}")
    assert axe_violations(page) == []
    agency.fill("LA County Public Works")
    page.get_by_role("button", name="Apply decision").click()
    expect(page.get_by_text(f"Request {waiting.public_id} is triaged.")).to_be_visible()
    assert ServiceRequest.objects.get(pk=waiting.pk).resolution == "referred"


def test_triage_in_spanish_shows_only_the_chosen_decisions_fields(spanish_phone, live_server, people, service):
    waiting = in_triage(service(UNROUTED))
    sign_in(spanish_phone, people["agent"], live_server.url)
    spanish_phone.goto(f"/staff/triage/{waiting.public_id}/")
    spanish_phone.get_by_role("radio", name="No procede").check()
    expect(spanish_phone.get_by_label("Departamento", exact=True)).to_be_hidden()
    screenshot(spanish_phone, "staff-triage-reject-phone-es")
    assert axe_violations(spanish_phone) == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_pages_changed_for_issue_14_are_accessible_in_spanish(
    browser, live_server, people, service, public_works, size
):
    viewport = PHONE if size == "phone" else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="es")
    page = context.new_page()
    waiting = in_triage(service(UNROUTED))
    job = overdue_request(service, public_works, people)
    sign_in(page, people["admin"], live_server.url)
    pages = {
        "triage-queue": f"/staff/triage/?number={waiting.public_id}",
        "triage-request": f"/staff/triage/{waiting.public_id}/",
        "department-queue": f"/staff/departments/{public_works.pk}/?number={job.public_id}",
        "supervisor": f"/staff/departments/{public_works.pk}/supervisor/",
        "my-work": "/staff/my-work/?number=1",
        "workspace": f"/staff/requests/{job.public_id}/",
        "go-to-missing": "/staff/go?number=00000000",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.get_by_role("textbox", name="Ir a la solicitud")).to_be_visible()
        assert no_sideways_scrolling(page), name
        assert values_under_their_labels(page) == [], name
        screenshot(page, f"staff-{name}-{size}-es")
        assert axe_violations(page) == [], name
    context.close()
