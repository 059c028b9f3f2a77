"""A resident applies online in Chromium: on a phone in English, on a desktop in Spanish; axe clean throughout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cityhall.applications.models import Application, Status
from cityhall.documents.tests.memo_builders import memo_pdf
from tests.browser import DESKTOP, PHONE, axe_violations, box, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = memo_pdf("Minutes of the pier board meeting.")

WORDS = {
    "en": {
        "service": "Public records request",
        "start": "Start the application",
        "review": "Continue to review",
        "problems": "There are 4 problems with your application",
        "records": "Describe the records you want",
        "electronic": "Electronic copies by email",
        "organization_question": "Are you asking for an organization or a news outlet?",
        "yes": "Yes",
        "organization": "Name of the organization",
        "email": "Email for the answer",
        "example": "A document that helps us find them",
        "consent": "I agree to sign electronically",
        "name": "Type your full name as your signature",
        "sign": "Sign and submit",
        "submitted": "In review",
    },
    "es": {
        "service": "Solicitud de registros públicos",
        "start": "Comenzar la solicitud",
        "review": "Continuar a la revisión",
        "problems": "Hay 4 problemas con su solicitud",
        "records": "Describa los registros que desea",
        "electronic": "Copias electrónicas por correo",
        "organization_question": "¿Lo solicita para una organización o un medio de comunicación?",
        "yes": "Sí",
        "organization": "Nombre de la organización",
        "email": "Correo electrónico para la respuesta",
        "example": "Un documento que nos ayude a encontrarlos",
        "consent": "Acepto firmar electrónicamente",
        "name": "Escriba su nombre completo como firma",
        "sign": "Firmar y enviar",
        "submitted": "En revisión",
    },
}


def looks_right(page, name: str) -> None:
    screenshot(page, name)
    assert fits_the_screen(page), "no sideways scrolling"
    assert axe_violations(page) == []


@pytest.mark.parametrize(("size", "language"), [("phone", "en"), ("desktop", "es")])
def test_a_resident_applies_signs_and_follows_an_application(
    browser, live_server, digital_services, people, size, language, tmp_path
):
    words = WORDS[language]
    viewport = PHONE if size == "phone" else DESKTOP
    phone = size == "phone"
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=language, is_mobile=phone)
    client = Client()
    client.force_login(people["resident"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()

    page.goto("/my-applications")
    page.get_by_role("link", name=words["service"]).click()
    page.get_by_role("button", name=words["start"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["service"])
    looks_right(page, f"application-form-{language}-{size}")

    page.get_by_role("button", name=words["review"]).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(words["problems"])
    looks_right(page, f"application-errors-{language}-{size}")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label(words["records"])).to_be_focused()

    organization = page.get_by_label(words["organization"])
    expect(organization).to_be_hidden()  # shown only for an organization (apply.js)
    page.get_by_label(words["records"]).fill("Minutes of the Pier Board meetings in 2025")
    page.get_by_label(words["electronic"]).check()
    page.get_by_role("group", name=words["organization_question"]).get_by_label(words["yes"]).check()
    organization.fill("Santa Monica Daily Press")
    page.get_by_label(words["email"]).fill("rosa@example.com")
    document = tmp_path / "pier-board.pdf"
    document.write_bytes(PDF)
    upload = page.get_by_label(words["example"])
    assert box(upload)["height"] >= 44, "the browser's Choose-file button is a thumb's target, not 20 px"
    upload.set_input_files(str(document))
    page.get_by_role("button", name=words["review"]).click()

    expect(page.get_by_text("Santa Monica Daily Press")).to_be_visible()
    expect(page.get_by_role("link", name="pier-board.pdf")).to_be_visible()
    looks_right(page, f"application-review-{language}-{size}")
    page.get_by_label(words["consent"]).check()
    page.get_by_label(words["name"]).fill("Rosa Resident")
    page.get_by_role("button", name=words["sign"]).click()

    expect(page.locator("main")).to_contain_text(words["submitted"])
    application = Application.objects.get(applicant=people["resident"])
    assert application.status == Status.IN_REVIEW
    expect(page.locator(".fingerprint")).to_have_text(application.signature.sha256)
    looks_right(page, f"application-status-{language}-{size}")
    context.close()
