"""/verify in a real browser: phone and desktop, English and Spanish, axe clean, no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, axe_violations, box, fits_the_screen, screenshot

from .conftest import stored_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"file": "A PDF to check", "check": "Check this PDF", "genuine": "This document is genuine",
           "not": "This document could not be verified", "changed": "This PDF was changed after it was signed.",
           "number": "Document number", "look": "Look up", "stands": "The city issued and sealed this document"},
    "es": {"file": "Un PDF para comprobar", "check": "Comprobar este PDF", "genuine": "Este documento es auténtico",
           "not": "No se pudo verificar este documento", "changed": "Este PDF se modificó después de firmarse.",
           "number": "Número de documento", "look": "Buscar", "stands": "La ciudad emitió y selló este documento"},
}  # fmt: skip


def pdf(name: str, data: bytes) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": data}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_anyone_checks_a_permit_by_file_and_by_number(browser, live_server, permit, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US",
        is_mobile=size == "phone", has_touch=size == "phone",
    )  # fmt: skip
    page = context.new_page()
    words = WORDS[language]
    genuine = stored_bytes(permit)
    changed = bytearray(genuine)
    changed[changed.index(b"/Title (Permit") + len(b"/Title (")] = ord("Q")

    page.goto("/verify")
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    page.get_by_label(words["file"]).set_input_files(pdf("permit.pdf", genuine))
    page.get_by_role("button", name=words["check"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["genuine"])
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    screenshot(page, f"verify-genuine-{size}-{language}")

    page.goto("/verify")
    page.get_by_label(words["file"]).set_input_files(pdf("permit.pdf", bytes(changed)))
    page.get_by_role("button", name=words["check"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["not"])
    expect(page.get_by_role("alert")).to_contain_text(words["changed"])
    assert axe_violations(page) == []
    screenshot(page, f"verify-changed-{size}-{language}")

    page.goto("/verify")
    page.get_by_label(words["number"]).fill(permit.number)
    page.get_by_role("button", name=words["look"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["stands"])
    # The record's facts read as the site's other facts: the name bold, its value under it, not indented.
    record = page.locator("dl.record")
    assert record.locator("dt").first.evaluate("term => getComputedStyle(term).fontWeight") == "700"
    assert box(record.locator("dd").first)["x"] == box(record.locator("dt").first)["x"]
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    screenshot(page, f"verify-record-{size}-{language}")
    context.close()
