"""The front door in a real browser: it renders at phone and desktop sizes, passes axe, and works by keyboard."""

from __future__ import annotations

import pytest

from tests.browser import axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_front_door_is_readable_and_accessible(request, size):
    page = request.getfixturevalue(size)
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Report a problem"
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, f"front-door-{size}")
    assert axe_violations(page) == []


def test_the_front_door_links_are_reachable_by_keyboard(desktop):
    desktop.goto("/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent")
    assert focused.startswith("A ")


def test_the_accessibility_check_would_catch_an_unlabelled_field(desktop):
    """The axe check is only worth something if it fails on a real fault."""
    desktop.set_content('<html lang="en"><title>t</title><main><h1>Form</h1><input type="text"></main></html>')
    assert any(line.startswith("label") for line in axe_violations(desktop))
