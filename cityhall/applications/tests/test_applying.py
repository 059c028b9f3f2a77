"""Applying online through the resident's pages: draft, resume elsewhere, review, sign, submit."""

from __future__ import annotations

import hashlib
import html
import json

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.applications.models import Application, ApplicationEvent, Signature, Status

from .builders import TREE

pytestmark = pytest.mark.django_db


def start(client: Client, code: str) -> Application:
    response = client.post(reverse("citizen:apply_start", args=[code]))
    assert response.status_code == 302
    return Application.objects.get(reference=response.url.split("/")[2])


def edit_url(application: Application) -> str:
    return reverse("citizen:application_edit", args=[application.reference])


def review_url(application: Application) -> str:
    return reverse("citizen:application_review", args=[application.reference])


def test_a_draft_saved_on_the_phone_is_finished_on_a_laptop(digital_services, people):
    phone = Client()
    phone.force_login(people["resident"])
    application = start(phone, "public-tree")
    saved = phone.post(edit_url(application), {"tree_address": "1685 Main St", "work": "remove", "action": "save"})
    assert saved.status_code == 302

    laptop = Client()
    laptop.force_login(people["resident"])
    mine = laptop.get(reverse("citizen:my_applications")).content.decode()
    assert application.reference in mine and "Draft" in mine
    page = laptop.get(edit_url(application)).content.decode()
    assert 'value="1685 Main St"' in page and "map: 1685 Main St" in page
    assert 'value="remove" checked' in page


def test_signing_records_who_when_where_and_the_hash_of_what_was_signed(digital_services, people):
    client = Client(HTTP_USER_AGENT="Phone browser 1.0", REMOTE_ADDR="203.0.113.9")
    client.force_login(people["resident"])
    application = start(client, "public-tree")
    to_review = client.post(edit_url(application), {**TREE, "action": "review"})
    assert to_review.status_code == 302 and to_review.url == review_url(application)
    review = client.get(review_url(application)).content.decode()
    assert "Broken or hanging branches" in review and "I agree to sign electronically" in review
    reviewed = review.split('name="reviewed" value="')[1].split('"')[0]

    unsigned = client.post(review_url(application), {"reviewed": reviewed, "typed_name": "Rosa Resident"})
    assert unsigned.status_code == 400 and 'href="#sign-consent"' in unsigned.content.decode()
    assert not Signature.objects.exists()

    sent = client.post(
        review_url(application), {"reviewed": reviewed, "typed_name": " Rosa  Resident ", "consent": "yes"}
    )
    assert sent.status_code == 302
    application.refresh_from_db()
    signature = application.signature
    assert application.status == Status.IN_REVIEW and application.submitted_at == signature.signed_at
    assert (signature.typed_name, signature.ip_address, signature.user_agent) == (
        "Rosa Resident",
        "203.0.113.9",
        "Phone browser 1.0",
    )
    assert signature.sha256 == hashlib.sha256(signature.signed_content.encode()).hexdigest()
    signed = json.loads(signature.signed_content)
    assert signed["answers"] == application.answers and signed["signer"] == "Rosa Resident"
    assert signed["form_version"] == 1 and signed["consent_version"] == signature.consent_version
    assert "handwritten signature" in signature.consent_text
    status = client.get(reverse("citizen:application_status", args=[application.reference])).content.decode()
    assert signature.sha256 in status and "Signed and submitted" in status
    assert list(application.events.values_list("kind", flat=True))[-2:] == [
        ApplicationEvent.Kind.SUBMITTED,
        ApplicationEvent.Kind.STEP_OPENED,  # the forester's review opens at once
    ]
    again = client.post(edit_url(application), {**TREE, "work": "remove"})
    assert again.status_code == 302
    application.refresh_from_db()
    assert application.answers["work"] == "prune"


def test_what_changed_after_the_review_is_not_signed(digital_services, people):
    client = Client()
    client.force_login(people["resident"])
    application = start(client, "public-tree")
    client.post(edit_url(application), {**TREE, "action": "review"})
    reviewed = client.get(review_url(application)).content.decode().split('name="reviewed" value="')[1].split('"')[0]
    client.post(edit_url(application), {**TREE, "work": "remove", "action": "save"})  # another tab
    refused = client.post(review_url(application), {"reviewed": reviewed, "typed_name": "Rosa", "consent": "yes"})
    assert refused.status_code == 400 and "changed since you reviewed it" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_bad_answers_are_shown_beside_their_fields_and_nothing_is_written(digital_services, people):
    client = Client()
    client.force_login(people["resident"])
    application = start(client, "block-party")
    answers_before = dict(application.answers)
    response = client.post(
        edit_url(application),
        {"event_name": "Party", "guests": "5000", "contact_email": "not-an-email", "block_address": "1 Nowhere Lane"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    page = response.content.decode()
    assert response.status_code == 400
    for key in ("guests", "contact_email", "block_address"):
        assert f'href="#field-{key}"' in page
        assert f'aria-describedby="field-{key}-error"' in page or f'field-{key}-help field-{key}-error"' in page
    assert "Hay 3 problemas con su solicitud" in page
    application.refresh_from_db()
    assert application.answers == answers_before


@pytest.mark.parametrize(
    ("language", "delivery", "email"),
    [
        ("en", "How would you like them? Choose an answer.", "Email for the answer: Answer this question."),
        (
            "es",
            "¿Cómo los desea recibir? Elija una respuesta.",
            "Correo electrónico para la respuesta: Responda esta pregunta.",
        ),
    ],
)
def test_a_submission_needs_every_required_answer(digital_services, people, language, delivery, email):
    client = Client()
    client.force_login(people["resident"])
    application = start(client, "public-records")
    response = client.post(
        edit_url(application), {"records": "Council minutes of 2019", "action": "review"}, HTTP_ACCEPT_LANGUAGE=language
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    # Each line of the summary names its question; a question is not followed by a colon ("?:").
    assert f'href="#field-delivery">{delivery}</a>' in page and f'href="#field-contact_email">{email}</a>' in page
    assert "?:" not in page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert client.get(review_url(application)).status_code == 302  # back to the form, not to signing
