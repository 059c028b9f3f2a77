"""The staff dashboards in a browser: phone and desktop, English and Spanish, axe clean; bars and map areas open
the queue."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cityhall.core import clock
from cityhall.requests import access, services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import OCEAN_PARK, submit
from cityhall.requests.workflow import Action, Resolution
from cityhall.staff.tests.browser_helpers import sign_in
from tests.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    fits_the_screen,
    screenshot,
    scrolls_from_the_keyboard,
    values_under_their_labels,
    words_split_across_lines,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# A long unbroken link must wrap, not widen the page.
COMMENT = (
    "Fixed in two days, thanks! Photo: https://example.org/photos/a-very-long-link-pasted-without-any-spaces-at-all"
)


@pytest.fixture
def history(people, service, public_works):
    """A few weeks of potholes and graffiti, some closed: every chart has bars."""
    start = clock.now() - timedelta(days=20)
    for day in range(0, 20, 3):
        with clock.travel(start + timedelta(days=day)):
            for code in ("potholes", "graffiti-public-property"):
                request = submit(service(code), at=OCEAN_PARK)
                if day % 2 == 0:
                    clock.advance(timedelta(hours=5 + day))
                    crew = access.actor_for(people["supervisor"], request)
                    services.service_request_transition(
                        service_request=request,
                        action=Action.RESOLVE,
                        actor=crew,
                        change=Change(resolution=Resolution.NO_ACTION, reason="Nothing to do."),
                    )
                    if day == 6 and code == "potholes":  # a resident's rating, with words of their own
                        request.refresh_from_db()
                        services.service_request_feedback(
                            service_request=request,
                            actor=access.actor_for(None, request, token=request.tracking_token),
                            rating=4,
                            comment=COMMENT,
                        )


@pytest.mark.parametrize(("size", "language"), [("phone", "en"), ("phone", "es"), ("desktop", "en"), ("desktop", "es")])
def test_the_dashboards_read_well_on_every_screen_and_language(browser, live_server, people, history, size, language):
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale=language, is_mobile=size == "phone"
    )
    page = context.new_page()
    sign_in(page, people["supervisor"], live_server.url)
    page.goto("/staff/dashboards/")
    heading = "Paneles" if language == "es" else "Dashboards"
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.locator("svg.chart")).to_have_count(8)  # six charts and two maps
    expect(page.locator("svg.map")).to_have_count(2)
    # The workload over the period, and what residents said, in the reader's language.
    workload = page.locator("#workload + table")
    expect(workload).to_contain_text("Cerradas en este período" if language == "es" else "Closed in this period")
    # The supervisor resolved 8 (both categories on days 0, 6, 12 and 18) and has nothing open.
    closed_cell = workload.locator("tbody tr", has_text="supervisor").locator("td").nth(1)
    expect(closed_cell).to_have_text(re.compile(r"\s8$"))
    comments = page.locator("section[aria-labelledby=comments]")
    expect(comments.get_by_role("heading", level=2)).to_have_text(
        "Lo que dijeron los residentes" if language == "es" else "What residents said"
    )
    expect(comments.locator("tbody tr")).to_have_count(1)
    expect(comments.locator("tbody tr")).to_contain_text(COMMENT)
    expect(comments.locator("tbody tr")).to_contain_text("4 de 5" if language == "es" else "4 out of 5")
    # Speed and SLA: on a phone the header is hidden and each figure carries its column's name; on a desktop
    # the header names the columns and the cells show the figure alone.
    sla_met = page.get_by_role("columnheader", name="SLA cumplido" if language == "es" else "SLA met")
    sla = page.locator("table", has=sla_met)
    headers = sla.locator("thead th").all_inner_texts()[1:]
    cells = sla.locator("tbody tr").first.locator("td")
    expect(cells).to_have_count(len(headers))
    for cell, header in zip(cells.all(), headers, strict=True):
        label = cell.locator(".cell-label")
        if size == "phone":
            expect(label).to_be_visible()
            expect(label).to_have_text(header)
        else:
            expect(label).to_be_hidden()
    assert values_under_their_labels(page) == [], "the comment wraps beside its column's name"
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, f"dashboards-{size}-{language}")
    page.locator("#chart-hexagon-map").scroll_into_view_if_needed()
    screenshot(page, f"dashboards-maps-{size}-{language}")
    assert axe_violations(page) == []
    # The chart's own table, opened from the keyboard.
    summary = page.locator("#chart-close-time summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#chart-close-time table")).to_be_visible()
    assert axe_violations(page) == []
    context.close()


def test_a_bar_opens_the_matching_queue(desktop, live_server, people, history, service):
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto("/staff/dashboards/")
    pothole = service("potholes")
    desktop.locator(f'#chart-close-time a[href$="service={pothole.pk}"]').first.click()
    expect(desktop).to_have_url(re.compile(rf"/staff/departments/\d+/\?service={pothole.pk}$"))


def test_a_neighborhood_on_the_map_opens_its_queue(desktop, live_server, people, history):
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto("/staff/dashboards/")
    desktop.locator("#chart-neighborhood-map a", has_text=re.compile(r"\d")).first.click()
    expect(desktop).to_have_url(re.compile(r"/staff/departments/\d+/\?zone=\d+$"))


def test_the_maps_shade_by_requests_from_the_keyboard(desktop, live_server, people, history):
    sign_in(desktop, people["supervisor"], live_server.url)
    desktop.goto("/staff/dashboards/")
    desktop.get_by_role("link", name="requests received", exact=True).focus()
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(re.compile(r"map=received"))
    expect(desktop.locator("#chart-hexagon-map .reading")).to_contain_text("The busiest hexagon had")
    assert axe_violations(desktop) == []


def test_every_chart_stays_small(desktop, live_server, people, history):
    sign_in(desktop, people["admin"], live_server.url)
    # By day over a year: the longest list of bars a chart can have (longer periods go by week or month).
    since = (clock.now() - timedelta(days=366)).date().isoformat()
    desktop.goto(f"/staff/dashboards/?grain=day&from={since}")
    sizes = desktop.eval_on_selector_all("svg.chart", "charts => charts.map(c => c.outerHTML.length)")
    assert len(sizes) == 8 and max(sizes) < 60_000
    # The maps, tables and links included, add under 60 KB to the page as sent (compressed).
    maps = desktop.locator("section.maps").evaluate("section => section.outerHTML")
    assert len(gzip.compress(maps.encode())) < 60_000


@pytest.mark.parametrize(("size", "language"), [("phone", "en"), ("phone", "es"), ("desktop", "en"), ("desktop", "es")])
def test_the_public_scorecard_reads_well_everywhere(browser, live_server, history, size, language):
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale=language, is_mobile=size == "phone"
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name=re.compile("How fast|Qué tan rápido")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("How fast" if language == "en" else "Qué tan rápido")
    page.wait_for_load_state("load")  # the page's own stylesheet applied: it is what lets the tables wrap
    wider = page.evaluate(
        """width => [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)""",
        viewport["width"],
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"sideways scrolling: {wider}"
    # Headers wrap between words only; a table too wide for the screen scrolls in a region named by its heading.
    assert words_split_across_lines(page, ".scorecard th") == []
    regions = page.locator(".scorecard .table-scroll")
    expect(regions).to_have_count(3)
    for region in regions.all():
        expect(region).to_have_role("region")
        expect(region).to_have_accessible_name(re.compile(r"\w"))
        assert scrolls_from_the_keyboard(page, region)
    screenshot(page, f"scorecard-{size}-{language}")
    assert axe_violations(page) == []
    context.close()
