"""What an applicant hears of their application, read off a real SMTP server, in English and in Spanish."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.workflow import Action
from cityhall.core import clock
from tests.applications import RECORDS, decide, submitted, under_review

from ..models import Channel, Message, MessageStatus, Unsubscribe
from ..tasks import notify_application_events
from .conftest import PUBLIC_URL
from .helpers import html_of, links_in, subject_of, text_of

pytestmark = pytest.mark.django_db

SAYS = {
    "en": {
        "asked": ("The city has a question about your application {ref}", "The question:", "Please answer by"),
        "approved": ("Your application {ref} is approved: Public records request", "these conditions:", "is document"),
        "denied": ("The city's decision on your application {ref}", "Reason: Sealed by court order.", "is document"),
        "withdrawn": ("Your application {ref} is withdrawn", "as you asked", "If you did not withdraw it"),
        "expired": ("Your application {ref} is closed", "went unanswered for too long", "apply again"),
    },
    "es": {
        "asked": ("La ciudad tiene una pregunta sobre su solicitud {ref}", "La pregunta:", "Responda antes del"),
        "approved": (
            "Su solicitud {ref} está aprobada: Solicitud de registros públicos",
            "estas condiciones:",
            "es el documento",
        ),
        "denied": (
            "La decisión de la ciudad sobre su solicitud {ref}",
            "Motivo: Sealed by court order.",
            "es el documento",
        ),
        "withdrawn": ("Su solicitud {ref} está retirada", "como pidió", "Si usted no la retiró"),
        "expired": ("Su solicitud {ref} está cerrada", "quedó sin respuesta demasiado tiempo", "volver a solicitar"),
    },
}


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def records(santa_monica, people):
    [service] = under_review(santa_monica, RECORDS)
    return service


def heard(smtp, expected: str, ref: str, language: str, before: int) -> str:
    """The one new email to the resident: its subject and the lines only that message says, in its language."""
    inbox = smtp.to("resident@example.org")
    assert len(inbox) == before + 1, [subject_of(message) for message in inbox[before:]]
    message = inbox[-1]
    subject, *lines = SAYS[language][expected]
    assert subject_of(message) == subject.format(ref=ref)
    text = text_of(message)
    for line in lines:
        assert line in text and line in re.sub(r"<[^>]+>", "", html_of(message)).replace("&#x27;", "'"), (line, text)
    assert f"{PUBLIC_URL}/applications/{ref}" in links_in(text)
    return text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_applicant_hears_the_question_and_the_signed_decision_once_in_their_application_s_language(
    language, records, people, smtp, committed
):
    resident, staff = people["resident"], people["staff"]
    inbox = lambda: len(smtp.to("resident@example.org"))  # noqa: E731
    with committed():
        application = submitted(records, resident, language=language)
    assert inbox() == 0  # they signed it on the site a moment ago: the page said so

    with committed():
        application = decide(application, staff, Action.ASK_INFO, question="Which years do you need?")
    text = heard(smtp, "asked", application.reference, language, 0)
    assert "Which years do you need?" in text

    with committed():
        services.application_note(application, actor=actor_for(staff, application), note="Internal: call her.")
    with committed():
        application = services.application_respond(
            application, actor=actor_for(resident, application), answer="2020 to 2024."
        )
    assert inbox() == 1  # nothing for an internal note, nor for their own answer

    with committed():
        decide(application, staff, Action.APPROVE_WITH_CONDITIONS, conditions="Pick them up in person.")
    text = heard(smtp, "approved", application.reference, language, 1)
    application.refresh_from_db()
    assert application.document_number
    assert "Pick them up in person." in text
    assert f"{PUBLIC_URL}/verify/{application.document_number}" in links_in(text)
    assert "Internal" not in text

    # Exactly once: the task run again over every event stores and sends nothing new.
    event_ids = list(Message.objects.values_list("data__event_id", flat=True))
    notify_application_events.enqueue(event_ids)
    assert inbox() == 2 and Message.objects.count() == 2


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_denial_a_withdrawal_and_an_expiry_are_each_told(language, records, people, smtp, committed):
    resident, staff = people["resident"], people["staff"]
    with committed():
        denied = submitted(records, resident, language=language)
        withdrawn = submitted(records, resident, language=language)
        expired = submitted(records, resident, language=language)
    with committed():
        decide(denied, staff, Action.DENY, reason="Sealed by court order.")
    denied.refresh_from_db()
    text = heard(smtp, "denied", denied.reference, language, 0)
    assert f"{PUBLIC_URL}/verify/{denied.document_number}" in links_in(text)

    with committed():
        services.application_withdraw(withdrawn, actor=actor_for(resident, withdrawn))
    heard(smtp, "withdrawn", withdrawn.reference, language, 1)

    with committed():
        decide(expired, staff, Action.ASK_INFO, question="Which years?")
    with committed():
        assert services.applications_expire(clock.now() + timedelta(days=31)) == 1
    heard(smtp, "expired", expired.reference, language, 3)


def test_an_unsubscribed_address_hears_nothing_and_the_row_says_why(records, people, smtp, committed):
    Unsubscribe.objects.create(channel=Channel.EMAIL, address="resident@example.org", created_at=clock.now())
    with committed():
        application = submitted(records, people["resident"])
    with committed():
        decide(application, people["staff"], Action.ASK_INFO, question="Which years?")
    assert smtp.to("resident@example.org") == []
    [message] = Message.objects.all()
    assert (message.template, message.status) == ("application_info_requested", MessageStatus.SKIPPED)
    assert message.recipient_kind == "applicant" and message.request_id is None
