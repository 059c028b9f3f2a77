"""Live: an open queue and an open workspace change by themselves when someone else acts (docs/live.md)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.requests.workflow import Status
from cityhall.staff.tests.browser_helpers import sign_in
from cityhall.staff.tests.helpers import UNROUTED, in_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    settings.CITYHALL_MAP_TILES = ""


def test_the_triage_queue_shows_a_new_request_without_a_reload(browser, desktop, live_server, people, service):
    sign_in(desktop, people["agent"], live_server.url)
    desktop.goto("/staff/triage/")
    expect(desktop.get_by_text("Nothing waits for triage.")).to_be_visible()
    desktop.evaluate("window.notReloaded = true")

    # A colleague at the desk logs a phone call in another browser.
    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, people["admin"], live_server.url)
    other.goto("/staff/new/")
    other.get_by_label("Phone call").check()
    other.get_by_label("Category").select_option(label=service(UNROUTED).name)
    other.get_by_label("What is the problem?").fill("Sofa on the sidewalk")
    other.get_by_label("Address").fill("1685 Main St")
    other.get_by_label("Phone", exact=True).fill("310-555-0100")
    other.get_by_role("button", name="Log the request").click()
    expect(other.get_by_text("is logged")).to_be_visible()
    public_id = other.url.rstrip("/").rsplit("/", 1)[1]

    expect(desktop.get_by_role("link", name=f"#{public_id}")).to_be_visible(timeout=10_000)
    assert desktop.evaluate("window.notReloaded === true"), "the page changed in place"
    other.context.close()


def test_a_second_person_acting_changes_the_open_workspace_and_queue(
    browser, desktop, live_server, people, service, public_works
):
    # Assigned to the field crew member: crews work only what is assigned to them or their crew.
    job = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto(f"/staff/requests/{job.public_id}/")
    expect(desktop.locator("[data-status]")).to_have_text("Assigned")

    queue_context = browser.new_context(base_url=live_server.url)
    queue = queue_context.new_page()
    sign_in(queue, people["staff"], live_server.url)
    queue.goto(f"/staff/departments/{public_works.pk}/")
    expect(queue.locator('[data-count="in_progress"]')).to_have_text("0")

    crew_context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    crew = crew_context.new_page()
    sign_in(crew, people["crew"], live_server.url)
    crew.goto(f"/staff/requests/{job.public_id}/")
    crew.get_by_role("button", name="Start work").click()
    expect(crew.locator("[data-status]")).to_have_text("In progress")

    expect(desktop.locator("[data-status]")).to_have_text("In progress", timeout=10_000)
    expect(desktop.locator("#timeline")).to_contain_text("crew")
    expect(queue.locator('[data-count="in_progress"]')).to_have_text("1", timeout=10_000)
    crew_context.close()
    queue_context.close()


def test_the_sla_board_drops_an_overdue_application_review_when_the_applicant_is_asked(
    desktop, live_server, people, santa_monica, public_works
):
    from datetime import timedelta

    from cityhall.applications.models import ApplicationStep
    from cityhall.applications.tests.builders import decide
    from cityhall.applications.workflow import Action
    from cityhall.core import clock
    from cityhall.staff.tests.applications import STAFF, block_party, submitted

    service = block_party(santa_monica, [(1, "Street closure review", public_works, STAFF)])
    application = submitted(service, people["resident"])
    step = ApplicationStep.objects.get(application=application)
    ApplicationStep.objects.filter(pk=step.pk).update(due_at=clock.now() - timedelta(days=1))
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto("/staff/supervisor/")
    expect(desktop.get_by_role("heading", name="Overdue application reviews (1)")).to_be_visible()
    desktop.evaluate("window.notReloaded = true")

    # A colleague asks the applicant a question: the clock stops, so the review is no longer overdue.
    decide(application, step, people["staff"], Action.ASK_INFO, question="Which side of the street is closed?")

    expect(desktop.get_by_role("heading", name="Overdue application reviews (0)")).to_be_visible(timeout=10_000)
    assert desktop.evaluate("window.notReloaded === true"), "the board changed in place"
