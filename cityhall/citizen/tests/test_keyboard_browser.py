"""A resident's whole report with the keyboard alone, in Spanish on a phone: home, category, a saved place for
the map step, the answers, sending, the tracking page while the city works on it, and confirming the fix.

Each control is reached with Tab in the page's own order (`tests.browser.tab_to`); at each the focus ring must
stand out from what it is drawn on (3:1, WCAG 1.4.11).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.accounts.services import saved_place_save
from cityhall.citizen.tests.track_helpers import act
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Action, Resolution, Status
from tests.browser import PHONE, focus_ring_contrast, screenshot, tab_to

from .report_browser_helpers import offline_from_the_internet, sign_in
from .report_helpers import CITY_HALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reach(page, target) -> None:
    """Tab to `target`, as a keyboard user does, and check that its focus ring can be seen."""
    tab_to(page, target)
    assert focus_ring_contrast(page) >= 3, f"the focus ring on {target} is faint"


def test_a_resident_reports_follows_and_confirms_the_fix_with_the_keyboard_alone_in_spanish(
    browser, live_server, people, service
):
    resident = people["resident"]
    saved_place_save(user=resident, kind="home", label="", address="1685 Main St", lat=CITY_HALL[0], lng=CITY_HALL[1])
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="es-MX", is_mobile=True)
    page = offline_from_the_internet(context.new_page())
    sign_in(page, resident, live_server)
    keys = page.keyboard

    page.goto("/")
    reach(page, page.get_by_role("link", name="Reportar un problema").first)  # the big button on its tinted panel
    screenshot(page, "keyboard-home-focus-es-phone")
    keys.press("Enter")
    reach(page, page.get_by_label("Buscar categorías"))
    keys.type("bache")
    reach(page, page.locator("[data-results-list]").get_by_role("link", name="Baches"))
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Baches")
    saved = page.get_by_role("group", name="Lugar guardado (opcional)")  # the map step without the map
    expect(saved).to_be_visible()
    reach(page, saved.get_by_role("radio", name="Casa"))
    keys.press("Space")
    expect(page.locator("[data-location-status]")).to_contain_text("Ubicación marcada")
    reach(page, page.get_by_role("radio", name="Más chico que un plato"))
    keys.press("ArrowDown")  # the arrow moves the choice along the group
    answer = page.get_by_role("radio", name="Hasta del tamaño de una llanta de carro")
    expect(answer).to_be_checked()
    expect(answer).to_be_focused()
    assert focus_ring_contrast(page) >= 3, "the ring on a chosen answer's tinted row is faint"
    screenshot(page, "keyboard-report-answer-focus-es-phone")
    reach(page, page.get_by_label("¿Cuál es el problema?"))
    keys.type("Bache hondo frente a la parada del autobús")
    reach(page, page.get_by_role("button", name="Enviar reporte"))
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias: recibimos su reporte")
    created = ServiceRequest.objects.get()
    assert (created.reporter, created.lat, created.language) == (resident, CITY_HALL[0], "es")
    reach(page, page.get_by_role("link", name="Seguir su solicitud"))
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text(created.public_id)
    expect(page.get_by_text("Bache hondo frente a la parada del autobús")).to_be_visible()
    elsewhere = page.get_by_role("link", name="Ver otras solicitudes de la ciudad")
    tab_to(page, elsewhere)
    # The city answers while the resident reads: the page shows it without taking the focus away.
    act(created, Action.RESOLVE, people["agent"], resolution=Resolution.NO_ACTION, reason="Ya estaba reparado.")
    confirm = page.get_by_role("button", name="Sí, está arreglado")
    expect(confirm).to_be_visible()
    expect(elsewhere).to_be_focused()
    for _press in range(10):  # back up the page to the new question
        keys.press("Shift+Tab")
        if confirm.evaluate("button => button === document.activeElement"):
            break
    expect(confirm).to_be_focused()
    assert focus_ring_contrast(page) >= 3
    screenshot(page, "keyboard-track-confirm-focus-es-phone")
    keys.press("Enter")

    expect(page.get_by_text("Gracias por confirmarlo. La solicitud está cerrada.")).to_be_visible()
    expect(page.locator("#feedback")).to_be_focused()  # on to "How did we do?"
    assert ServiceRequest.objects.get(pk=created.pk).status == Status.CLOSED
    reach(page, page.locator(".site-footer").get_by_role("link", name="Contactar a la ciudad"))  # on the grey footer
    context.close()
