"""The photo picker on the report form: thumbnails, remove, "Take a photo" on phones; what is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.requests.models import ServiceRequest
from tests.browser import axe_violations, screenshot

from .report_browser_helpers import big_photo, offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_a_pothole_report(page) -> None:
    page.goto("/report/potholes")
    page.get_by_label("Up to a car tire").check()
    page.get_by_label("What is the problem?").fill("Deep hole in the crossing")
    page.get_by_label("Describe the place").fill("By the pier stairs")  # no map needed for this journey


def test_a_resident_adds_two_photos_removes_one_and_one_is_sent(phone, santa_monica, tmp_path):
    page = offline_from_the_internet(phone)
    fill_a_pothole_report(page)
    expect(page.get_by_text("Take a photo")).to_be_visible()  # the camera, on a phone
    assert page.get_by_label("Take a photo").get_attribute("capture") == "environment"

    first, second = big_photo(tmp_path, "first.jpg"), big_photo(tmp_path, "second.jpg")
    page.get_by_label("Choose photos").set_input_files([str(first), str(second)])
    thumbs = page.get_by_role("list", name="Photos chosen").get_by_role("listitem")
    expect(thumbs).to_have_count(2)
    expect(page.get_by_role("img", name="Photo 1 chosen")).to_be_visible()
    expect(page.locator("[data-photo-status]")).to_have_text("2 photos chosen, made smaller for a quick upload.")
    assert page.get_by_role("img", name="Photo 2 chosen").evaluate("(img) => img.naturalWidth > 0")
    screenshot(page, "report-photos-phone")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Remove photo 1").click()
    expect(thumbs).to_have_count(1)
    expect(page.locator("[data-photo-status]")).to_have_text(
        "Photo 1 removed. 1 photo chosen, made smaller for a quick upload."
    )
    expect(page.get_by_role("button", name="Remove photo 1")).to_be_focused()  # the one left, renumbered
    assert page.get_by_label("Choose photos").evaluate("(input) => input.files.length") == 1

    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    created = ServiceRequest.objects.get()
    assert created.attachments.count() == 1  # only the photo kept


def test_the_picker_gathers_chosen_and_camera_photos_and_reads_well_in_spanish(
    browser, live_server, santa_monica, tmp_path
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="es-ES", is_mobile=True, has_touch=True
    )
    page = offline_from_the_internet(context.new_page())
    page.goto("/report/potholes")
    page.get_by_label("Elegir fotos").set_input_files(str(big_photo(tmp_path, "one.jpg")))
    page.get_by_label("Tomar una foto").set_input_files(str(big_photo(tmp_path, "two.jpg")))
    expect(page.get_by_role("button", name="Quitar la foto 2")).to_be_visible()
    expect(page.locator("[data-photo-status]")).to_have_text("2 fotos elegidas, reducidas para enviarlas rápido.")
    assert page.get_by_label("Elegir fotos").evaluate("(input) => input.files.length") == 2
    assert page.get_by_label("Tomar una foto").evaluate("(input) => input.files.length") == 0  # not sent twice
    screenshot(page, "report-photos-phone-es")
    assert axe_violations(page) == []
    context.close()


def test_a_desktop_has_no_take_a_photo_button(desktop, santa_monica, tmp_path):
    page = offline_from_the_internet(desktop)
    page.goto("/report/potholes")
    expect(page.get_by_text("Choose photos")).to_be_visible()
    expect(page.get_by_text("Take a photo")).to_be_hidden()
    page.get_by_label("Choose photos").set_input_files(str(big_photo(tmp_path)))
    expect(page.get_by_role("button", name="Remove photo 1")).to_be_visible()
    screenshot(page, "report-photos-desktop")
