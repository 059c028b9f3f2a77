"""Staff journeys in a real browser, at desk and phone sizes: triage, field work with a photo, reassignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cityhall.core import clock
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Status
from cityhall.staff.tests.browser_helpers import sign_in
from cityhall.staff.tests.helpers import UNROUTED, in_status, in_triage
from tests.browser import axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet: the map draws points on a blank ground


def test_an_agent_triages_and_routes_a_new_request(desktop, live_server, people, service, public_works):
    waiting = in_triage(service(UNROUTED), description="Mattress dumped in the alley")
    sign_in(desktop, people["agent"], live_server.url)
    desktop.goto("/staff/")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Triage")
    screenshot(desktop, "staff-triage-queue-desktop")
    assert axe_violations(desktop) == []
    desktop.get_by_role("link", name=f"#{waiting.public_id}").click()
    expect(desktop.get_by_text("Mattress dumped in the alley")).to_be_visible()
    desktop.get_by_label("Priority").select_option(label="High")
    desktop.get_by_label("Route to a department").check()
    desktop.get_by_label("Department", exact=True).select_option(label="Public Works")
    screenshot(desktop, "staff-triage-request-desktop")
    assert axe_violations(desktop) == []
    desktop.get_by_role("button", name="Apply decision").click()
    expect(desktop.get_by_text(f"Request {waiting.public_id} is triaged.")).to_be_visible()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.department, waiting.priority) == ("routed", public_works, 3)


def test_the_triage_decision_works_by_keyboard_on_a_phone(phone, live_server, people, service):
    waiting = in_triage(service(UNROUTED))
    sign_in(phone, people["agent"], live_server.url)
    phone.goto(f"/staff/triage/{waiting.public_id}/")
    assert fits_the_screen(phone), "no sideways scrolling"
    screenshot(phone, "staff-triage-request-phone")
    assert axe_violations(phone) == []
    phone.get_by_role("radio", name="Not actionable").focus()
    phone.keyboard.press("Space")
    phone.get_by_label("Reason (needed when not actionable)").fill("Private property.")
    phone.get_by_label("Reason (needed when not actionable)").press("Enter")
    expect(phone.get_by_text(f"Request {waiting.public_id} is triaged.")).to_be_visible()
    assert ServiceRequest.objects.get(pk=waiting.pk).resolution == "no_action"


def test_staff_assign_work_and_resolve_with_a_completion_photo_on_a_phone(
    phone, live_server, people, service, public_works, tmp_path
):
    job = submit(service("potholes"), description="Deep pothole by the bus stop")
    sign_in(phone, people["staff"], live_server.url)
    phone.goto(f"/staff/requests/{job.public_id}/")
    assert fits_the_screen(phone), "no sideways scrolling"
    screenshot(phone, "staff-workspace-phone")
    assert axe_violations(phone) == []
    phone.locator("#assign summary").tap()  # the <summary> opens the form
    phone.get_by_label("Assign to").select_option(label="staff (me)")
    phone.locator("#assign").get_by_role("button", name="Assign").tap()
    expect(phone.locator("[data-status]")).to_have_text("Assigned")
    phone.get_by_role("button", name="Start work").tap()
    expect(phone.locator("[data-status]")).to_have_text("In progress")
    # In progress, the resolve form is open and the thumb bar leads to it.
    bar = phone.locator(".thumb-bar")
    expect(bar).to_be_visible()
    # Scrolled to the end, the whole footer shows above the bar; the bar's button is as bold as the form's.
    phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer_bottom = phone.locator(".site-footer").evaluate("footer => footer.getBoundingClientRect().bottom")
    bar_top = bar.evaluate("bar => bar.getBoundingClientRect().top")
    assert footer_bottom <= bar_top + 0.5, f"the bar hides the footer's last {footer_bottom - bar_top:.0f} px"
    weight = "element => getComputedStyle(element).fontWeight"
    resolve_button = phone.locator("#resolve").get_by_role("button", name="Resolve")
    assert bar.get_by_role("link", name="Resolve").evaluate(weight) == resolve_button.evaluate(weight)
    photo = tmp_path / "done.jpg"
    photo.write_bytes(jpeg_with_gps())
    phone.get_by_label("How was it resolved?").select_option("fixed")
    phone.get_by_label("Note to the resident: what was done").fill("Filled and rolled.")
    camera = phone.get_by_label("Completion photo (required for fixed)")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    camera.set_input_files(str(photo))
    screenshot(phone, "staff-resolve-phone")
    phone.locator("#resolve").get_by_role("button", name="Resolve").tap()
    expect(phone.locator("[data-status]")).to_have_text("Resolved")
    expect(phone.get_by_role("img", name="Completion photo")).to_be_visible()
    screenshot(phone, "staff-resolved-phone")
    job.refresh_from_db()
    assert (job.status, job.resolution, job.assignee) == ("resolved", "fixed", people["staff"])


def test_a_crew_member_finds_their_work_on_a_phone(phone, live_server, people, service, public_works):
    job = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    sign_in(phone, people["crew"], live_server.url)
    phone.goto("/staff/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("My work")
    expect(phone.locator(".leaflet-interactive")).to_have_count(1)  # the job on the map above the cards
    screenshot(phone, "staff-my-work-phone")
    assert axe_violations(phone) == []
    phone.get_by_role("link", name=f"#{job.public_id}").tap()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(job.public_id)


def test_a_supervisor_reassigns_an_overdue_request(desktop, live_server, people, service, public_works):
    late = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    started = clock.now() - timedelta(days=20)
    ServiceRequest.objects.filter(pk=late.pk).update(requested_at=started, expected_at=started + timedelta(days=5))
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto("/staff/supervisor/")
    expect(desktop.get_by_role("heading", name="Overdue (1)")).to_be_visible()
    screenshot(desktop, "staff-supervisor-desktop")
    assert axe_violations(desktop) == []
    desktop.get_by_label(f"Select #{late.public_id}").check()
    desktop.get_by_label("Reassign the ticked requests to").select_option(label="staff")
    desktop.get_by_role("button", name="Reassign").click()
    expect(desktop.get_by_text("1 request changed.")).to_be_visible()
    assert ServiceRequest.objects.get(pk=late.pk).assignee == people["staff"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_department_queue_and_its_map_are_readable(request, live_server, people, service, public_works, size):
    page = request.getfixturevalue(size)
    for _ in range(3):
        submit(service("potholes"))
    sign_in(page, people["staff"], live_server.url)
    page.goto(f"/staff/departments/{public_works.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public Works")
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, f"staff-department-queue-{size}")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Show on a map").click()
    expect(page.locator(".leaflet-interactive")).to_have_count(3)
    screenshot(page, f"staff-department-map-{size}")
    assert axe_violations(page) == []


def test_a_supervisor_assigns_a_crew_and_its_member_works_it_on_a_phone(
    desktop, phone, live_server, people, service, public_works, street_crew
):
    job = submit(service("potholes"))
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto(f"/staff/requests/{job.public_id}/")
    desktop.locator("summary", has_text="Assign").click()
    desktop.get_by_label("Assign to").select_option(label="Street repair")
    desktop.get_by_role("button", name="Assign", exact=True).click()
    expect(desktop.locator("[data-assignee]")).to_have_text("Street repair")

    sign_in(phone, people["crewmate"], live_server.url)
    phone.goto("/staff/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("My work")
    card = phone.get_by_role("link", name=f"#{job.public_id}")
    expect(card).to_contain_text("Street repair")
    screenshot(phone, "staff-my-work-crew-phone")
    assert axe_violations(phone) == []
    card.tap()
    phone.get_by_role("button", name="Start work").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My work")  # back to the list, as from a card
    expect(phone.get_by_role("link", name=f"#{job.public_id}")).to_contain_text("In progress")
    assert ServiceRequest.objects.get(pk=job.pk).status == Status.IN_PROGRESS


def test_an_agent_logs_a_call_and_puts_the_pin_on_the_map_by_keyboard(desktop, live_server, people, service):
    sign_in(desktop, people["agent"], live_server.url)
    desktop.goto("/staff/new/")
    desktop.get_by_label("Phone call").check()
    desktop.get_by_label("Category").select_option(label=service("potholes").name)
    desktop.get_by_label("How big is the pothole?").select_option(index=1)
    desktop.get_by_label("What is the problem?").fill("Deep pothole by the bus stop, says the caller.")
    map_ = desktop.get_by_role("application", name="Map: the pin marks the place of the problem")
    expect(map_).to_be_visible()
    map_.focus()
    desktop.keyboard.press("ArrowUp")
    expect(desktop.get_by_role("status").filter(has_text="The pin is set")).to_be_visible()
    screenshot(desktop, "staff-log-a-call-desktop")
    assert axe_violations(desktop) == []
    desktop.get_by_label("Phone", exact=True).fill("310-555-0142")
    desktop.get_by_role("button", name="Log the request").click()
    expect(desktop.get_by_text("is logged")).to_be_visible()
    logged = ServiceRequest.objects.order_by("-pk").first()
    assert logged.lat is not None and logged.lng is not None and logged.zone_id is not None
    assert logged.channel == "phone"
