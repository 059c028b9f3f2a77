"""The approvers' journey in a real browser, phone and desktop, English and Spanish, axe clean.

A resident's block party application is in review. Transportation asks a question; the resident
answers on their page; Transportation and Police approve at the same time (Police with conditions,
by keyboard alone), each page hearing the other's decision live; Special events signs off; the page
shows the approval and the signed decision, and /verify says who signed it and that the city sealed it.
Staff have TOTP, as the sign-in requires of them, so their approvals become their signatures.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import Role, User
from cityhall.applications.models import ApplicationStep
from cityhall.catalogue.models import Department
from tests.browser import DESKTOP, PHONE, axe_violations, fits_the_screen, screenshot, values_under_their_labels

from .applications import STAFF, block_party, submitted
from .browser_helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"queue": "Applications", "question": "Your question to the applicant", "answer": "Your answer",
           "send": "Send my answer", "signed": "Signed by", "sealed": "Sealed by the city", "steps": "Review steps",
           "conditions": "Conditions (the applicant reads them; they are printed on the permit)"},
    "es": {"queue": "Trámites", "question": "Su pregunta al solicitante", "answer": "Su respuesta",
           "send": "Enviar mi respuesta", "signed": "Firmado por", "sealed": "Sellado por la ciudad",
           "steps": "Pasos de revisión",
           "conditions": "Condiciones (el solicitante las lee; se imprimen en el permiso)"},
}  # fmt: skip


def approver(email: str, name: str, department: Department, role: Role = Role.STAFF) -> User:
    user = User.objects.create_user(email, None, role=role, name=name, department=department)
    mark_email_verified(user)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def journey(santa_monica, people, settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    transportation = Department.objects.create(jurisdiction=santa_monica, name="Transportation", slug="transportation")
    events = Department.objects.create(jurisdiction=santa_monica, name="Special events", slug="special-events")
    police = Department.objects.get(jurisdiction=santa_monica, slug="police")
    steps = [(1, "Traffic plan", transportation, STAFF), (1, "Police review", police, STAFF)]
    service = block_party(santa_monica, [*steps, (2, "Sign-off", events, STAFF)])
    application = submitted(service, people["resident"])
    steps = {step.name["en"]: step.pk for step in ApplicationStep.objects.filter(application=application)}
    return {
        "application": application,
        "steps": steps,
        "traffic": approver("traffic@example.org", "Tina Traffic", transportation),
        "police": approver("police@example.org", "Pat Police", police),
        "events": approver("events@example.org", "Eve Events", events),
        "resident": people["resident"],
    }


def new_page(browser, live_server, size: str, language: str, user: User):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US",
        is_mobile=size == "phone", has_touch=size == "phone",
    )  # fmt: skip
    page = context.new_page()
    sign_in(page, user, live_server.url)
    return page


def clean(page) -> None:
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    assert values_under_their_labels(page) == [], "a step's value wraps in its own column on a phone"


@pytest.mark.parametrize(("size", "language"), [("phone", "en"), ("desktop", "es"), ("desktop", "en"), ("phone", "es")])
def test_the_approvers_journey(browser, live_server, journey, size, language):
    words = WORDS[language]
    application, steps = journey["application"], journey["steps"]
    reference = application.reference

    # Transportation finds it in its queue and asks the applicant.
    traffic = new_page(browser, live_server, size, language, journey["traffic"])
    traffic.goto("/staff/")
    traffic.get_by_role("link", name=words["queue"], exact=True).click()
    clean(traffic)
    screenshot(traffic, f"applications-queue-{size}-{language}")
    traffic.get_by_role("link", name=reference).click()
    expect(traffic.get_by_role("heading", name=words["steps"])).to_be_visible()
    clean(traffic)
    traffic.locator(f"#ask_info-{steps['Traffic plan']} summary").click()
    traffic.get_by_label(words["question"]).fill("Which households signed the petition?")
    traffic.locator(f"#ask_info-{steps['Traffic plan']}-button").click()
    expect(traffic.locator("[data-status]")).to_have_attribute("data-status", "info_requested")

    # The resident answers on their page.
    resident = new_page(browser, live_server, size, language, journey["resident"])
    resident.goto(f"/applications/{reference}")
    expect(resident.get_by_text("Which households signed the petition?")).to_be_visible()
    clean(resident)
    screenshot(resident, f"application-question-{size}-{language}")
    resident.get_by_label(words["answer"]).fill("31 of the 40 households; the list is in the petition.")
    resident.get_by_role("button", name=words["send"]).click()
    expect(resident.get_by_role("heading", name=words["answer"])).to_have_count(0)

    # Transportation and Police decide at the same time; each page hears the other's decision.
    traffic.reload()
    expect(traffic.get_by_text("31 of the 40 households")).to_be_visible()
    police = new_page(browser, live_server, size, language, journey["police"])
    police.goto(f"/staff/applications/{reference}/")
    clean(police)
    traffic.locator(f"#approve-{steps['Traffic plan']}-button").click()
    expect(traffic.locator(f'tr[data-step="{steps["Traffic plan"]}"] [data-step-status]')).to_have_attribute(
        "data-step-status", "approved"
    )
    expect(police.locator(f'tr[data-step="{steps["Traffic plan"]}"] [data-step-status]')).to_have_attribute(
        "data-step-status", "approved"
    )  # live: no reload
    # Police approves with conditions by keyboard alone.
    police.locator(f"#approve_with_conditions-{steps['Police review']} summary").focus()
    police.keyboard.press("Enter")
    police.keyboard.press("Tab")
    expect(police.get_by_label(words["conditions"])).to_be_focused()
    police.keyboard.type("Keep a 20-foot lane open for emergency vehicles.")
    police.keyboard.press("Tab")
    police.keyboard.press("Enter")
    expect(police.locator(f'tr[data-step="{steps["Police review"]}"]')).to_contain_text("Keep a 20-foot lane open")
    clean(police)
    screenshot(police, f"application-approved-step-{size}-{language}")

    # Special events signs off: the application is approved and its decision signed and sealed.
    events = new_page(browser, live_server, size, language, journey["events"])
    events.goto(f"/staff/applications/{reference}/")
    events.locator(f"#approve-{steps['Sign-off']}-button").click()
    expect(events.locator("[data-status]")).to_have_attribute("data-status", "approved", timeout=60_000)
    expect(traffic.locator("[data-status]")).to_have_attribute("data-status", "approved", timeout=15_000)  # live
    verify = events.locator("p.document a").first
    expect(verify).to_be_visible(timeout=30_000)
    clean(events)
    screenshot(events, f"application-decided-{size}-{language}")
    verify.click()
    for name in ("Tina Traffic", "Pat Police", "Eve Events"):
        expect(events.get_by_text(f"{words['signed']} {name}")).to_be_visible()
    expect(events.get_by_text(words["sealed"])).to_be_visible()
    clean(events)
    for page in (traffic, resident, police, events):
        page.context.close()
