"""An internal memo in a real browser: a clerk uploads it for two signers, each signs in turn, anyone verifies it.

Phone and desktop, English and Spanish; axe clean and no sideways scrolling on every page of the journey.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.documents.tests.memo_builders import memo_pdf
from cityhall.staff.tests.browser_helpers import sign_in
from tests.browser import DESKTOP, PHONE, axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"nav": "Documents to sign", "upload": "Upload a memo for signatures", "title": "Title",
           "pdf": "The memo (a PDF)", "first": "Signs first", "second": "Signs second",
           "send": "Send for signatures", "sent": "is on its way to its first signer", "sign": "Sign",
           "signed": "You signed memo", "sealed": "Signed and sealed", "file": "A PDF to check",
           "check": "Check this PDF", "genuine": "This document is genuine", "by": "Signed by",
           "seal": "Sealed by the city"},
    "es": {"nav": "Documentos para firmar", "upload": "Subir un memorando para firmar", "title": "Título",
           "pdf": "El memorando (un PDF)", "first": "Firma en primer lugar", "second": "Firma en segundo lugar",
           "send": "Enviar a firmar", "sent": "va camino de su primer firmante", "sign": "Firmar",
           "signed": "Firmó el memorando", "sealed": "Firmado y sellado", "file": "Un PDF para comprobar",
           "check": "Comprobar este PDF", "genuine": "Este documento es auténtico", "by": "Firmado por",
           "seal": "Sellado por la ciudad"},
}  # fmt: skip
TITLE = "Winter storm overtime rota"


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"


def looks_right(page, name: str) -> None:
    assert axe_violations(page) == []
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, name)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_clerk_routes_a_memo_to_two_signers_who_sign_in_turn_and_it_verifies(
    browser, live_server, people, language, size
):
    phone = size == "phone"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, base_url=live_server.url, locale=f"{language}-US",
        is_mobile=phone, has_touch=phone,
    )  # fmt: skip
    page = context.new_page()
    words = WORDS[language]
    shot = f"{size}-{language}"

    sign_in(page, people["staff"], live_server.url)
    page.goto("/staff/my-work/")
    page.get_by_role("link", name=words["nav"]).click()
    page.get_by_role("link", name=words["upload"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["upload"])
    looks_right(page, f"memo-upload-{shot}")
    page.get_by_label(words["title"]).fill(TITLE)
    page.get_by_label(words["pdf"]).set_input_files(
        {"name": "rota.pdf", "mimeType": "application/pdf", "buffer": memo_pdf()}
    )
    page.get_by_label(words["first"]).select_option(label=people["supervisor"].name)
    page.get_by_label(words["second"]).select_option(label=people["other_staff"].name)
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text(words["sent"])
    number = re.search(r"/staff/memos/([^/]+)/", page.url).group(1)
    looks_right(page, f"memo-routed-{shot}")

    for signer in ("supervisor", "other_staff"):
        context.clear_cookies()
        sign_in(page, people[signer], live_server.url)
        page.goto("/staff/memos/")
        if signer == "supervisor":
            looks_right(page, f"memos-waiting-{shot}")
        page.get_by_role("link", name=re.compile(TITLE)).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        looks_right(page, f"memo-to-sign-{signer}-{shot}")
        page.get_by_role("button", name=words["sign"], exact=True).click()
        expect(page.get_by_role("status")).to_contain_text(f"{words['signed']} {number}")
    expect(page.get_by_text(words["sealed"]).first).to_be_visible()
    looks_right(page, f"memo-sealed-{shot}")

    signed = page.request.get(f"/documents/{number}.pdf")
    assert signed.status == 200
    page.goto("/verify")
    page.get_by_label(words["file"]).set_input_files(
        {"name": f"{number}.pdf", "mimeType": "application/pdf", "buffer": signed.body()}
    )
    page.get_by_role("button", name=words["check"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["genuine"])
    for name in (people["supervisor"].name, people["other_staff"].name):
        expect(page.get_by_text(f"{words['by']} {name}")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=words["seal"])).to_be_visible()
    looks_right(page, f"memo-verified-{shot}")
    context.close()
