"""The admin in Spanish, as a clerk sees it on a phone and at a desk: screenshots to look at.

Django's own admin pages are not ours to restyle; axe's findings on them are printed, not asserted.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_admin_index_and_a_change_form_read_in_spanish(request, viewport, client, people, service, live_server):
    page = request.getfixturevalue(viewport)
    client.force_login(people["admin"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page.set_extra_http_headers({"Accept-Language": "es"})

    page.goto("/admin/")
    assert page.get_by_role("link", name="Claves de API", exact=True).is_visible()
    assert page.get_by_text("Ciudad de Santa Mónica · administración").first.is_visible()
    screenshot(page, f"admin-index-es-{viewport}")
    print(f"axe, admin index ({viewport}):", axe_violations(page))

    page.goto(f"/admin/catalogue/service/{service('potholes').pk}/change/")
    assert page.get_by_text("Horas para resolver").first.is_visible()
    screenshot(page, f"admin-service-es-{viewport}")
    print(f"axe, service change form ({viewport}):", axe_violations(page))
