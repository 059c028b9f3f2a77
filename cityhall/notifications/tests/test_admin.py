"""The outbox in the admin: admins read it and filter it; nobody edits it there."""

from __future__ import annotations

import pytest

from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


def test_admins_read_the_outbox_with_filters_and_cannot_change_it(client, service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    client.force_login(people["admin"])
    listing = client.get("/admin/notifications/message/", {"channel": "email", "status": "sent", "template": "receipt"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "receipt" in html and f"#{request.public_id}" in html
    for filter_name in ("channel", "status", "template"):
        assert f"?{filter_name}=" in html or f"&amp;{filter_name}=" in html
    message_id = request.messages.get().pk
    detail = client.get(f"/admin/notifications/message/{message_id}/change/")
    assert detail.status_code == 200 and "resident@example.org" in detail.content.decode()
    assert client.get("/admin/notifications/message/add/").status_code == 403


def test_residents_cannot_open_the_outbox(client, people):
    client.force_login(people["resident"])
    response = client.get("/admin/notifications/message/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
