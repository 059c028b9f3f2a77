"""Starting without an account: "Start" asks a new resident for their email alone, confirmed by a code, then returns."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.applications.models import Application

pytestmark = pytest.mark.django_db


def test_a_new_resident_verifies_their_email_and_comes_back_to_start_the_application(digital_services):
    client = Client()
    service_page = reverse("citizen:apply_start", args=["public-tree"])
    asked = client.post(service_page)
    assert asked.status_code == 302 and asked.url.startswith(reverse("account_login"))
    assert f"next={service_page}" in asked.url

    signup = f"{reverse('account_signup')}?next={service_page}"
    page = client.get(signup).content.decode()
    assert f'value="{service_page}"' in page  # the way back travels with the sign-up form
    sent = client.post(signup, {"email": "new.resident@example.org", "next": service_page})
    assert sent.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE)
    assert code, mail.outbox[-1].body
    confirmed = client.post(sent.url, {"code": code.group(1)}, follow=True)
    assert confirmed.redirect_chain[-1][0] == service_page
    resident = User.objects.get(email="new.resident@example.org")

    started = client.post(service_page)
    assert started.status_code == 302
    assert Application.objects.get(applicant=resident).service.code == "public-tree"
