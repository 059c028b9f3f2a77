"""What residents hear, read off a real SMTP server: every resident event, in English and in Spanish."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cityhall.requests import services
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import actor, jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Resolution, Role

from ..models import Message, MessageStatus
from .conftest import PUBLIC_URL
from .helpers import act, html_of, links_in, subject_of, text_of, unsubscribe_url

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "en": {
        "receipt": "We received your request #{id}: Potholes",
        "assigned": "Someone is working on your request #{id}",
        "reply": "News on your request #{id}",
        "on_hold": "Your request #{id} is on hold",
        "resolved": "Your request #{id} is resolved: is it fixed?",
        "reopened": "Your request #{id} is open again",
        "closed": "Your request #{id} is closed",
    },
    "es": {  # the category and department in the catalogue's Spanish
        "receipt": "Hemos recibido su solicitud n.º {id}: Baches",
        "assigned": "Alguien se ocupa de su solicitud n.º {id}",
        "reply": "Novedades sobre su solicitud n.º {id}",
        "on_hold": "Su solicitud n.º {id} está en espera",
        "resolved": "Su solicitud n.º {id} está resuelta: ¿está arreglado?",
        "reopened": "Su solicitud n.º {id} está abierta de nuevo",
        "closed": "Su solicitud n.º {id} está cerrada",
    },
}
# A line of each body, in each language, that only that message says.
SAYS = {
    "en": {
        "receipt": "It has gone to Public Works.",
        "assigned": "Someone at Public Works is now assigned to your request.",
        "reply": "The crew is on its way.",
        "on_hold": "Reason: Waiting for asphalt.",
        "resolved": "It has been fixed.",
        "reopened": "Reason: The hole is back.",
        "closed": "Your request is closed.",
    },
    "es": {
        "receipt": "Se ha enviado a Obras Públicas.",
        "assigned": "Su solicitud ya está asignada a una persona de Obras Públicas.",
        "reply": "The crew is on its way.",  # staff's own words are sent as written
        "on_hold": "Motivo: Waiting for asphalt.",
        "resolved": "Se ha arreglado.",
        "reopened": "Motivo: The hole is back.",
        "closed": "Su solicitud está cerrada.",
    },
}


def fix(request, crew, note: str) -> None:
    """The crew resolves the request as fixed, with a public note and a completion photo."""
    act(
        request,
        Action.RESOLVE,
        actor(crew, Role.CREW),
        resolution=Resolution.FIXED,
        public_note=note,
        photos=[jpeg_with_gps()],
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_signed_in_resident_hears_each_step_once_in_their_language(language, service, people, smtp, committed):
    resident = people["resident"]
    resident.language = language
    resident.save(update_fields=["language"])
    staff, crew = actor(people["staff"], Role.STAFF), actor(people["crew"], Role.CREW)
    supervisor = actor(people["supervisor"], Role.SUPERVISOR)
    requester = actor(resident, Role.REQUESTER)

    steps: list[tuple[str | None, object]] = []
    with committed():
        request = submit(service("potholes"), reporter=resident)
    steps.append(("receipt", None))
    script = [
        ("assigned", Action.ASSIGN, staff, {"assignee": people["crew"]}),
        (None, Action.START, crew, {}),  # an internal step: nothing sent
        (None, Action.NOTE, staff, {"internal_note": "Crew lead says Tuesday."}),  # never sent
        ("reply", Action.COMMENT, staff, {"public_note": "The crew is on its way."}),
        ("on_hold", Action.HOLD, crew, {"reason": "Waiting for asphalt."}),
        (None, Action.RESUME, crew, {}),
        (
            "resolved",
            Action.RESOLVE,
            crew,
            {"resolution": Resolution.FIXED, "public_note": "Filled and rolled.", "photos": [jpeg_with_gps()]},
        ),
        ("reopened", Action.REOPEN, requester, {"reason": "The hole is back."}),
        ("assigned-again", Action.ASSIGN, staff, {"assignee": people["crew"]}),  # once per request: silent
        (
            "resolved",
            Action.RESOLVE,
            crew,
            {"resolution": Resolution.FIXED, "public_note": "Filled again.", "photos": [jpeg_with_gps()]},
        ),
        ("closed", Action.CLOSE, supervisor, {"public_note": "Checked on site."}),
    ]
    # Staff hear of some steps too (assigned to them, "not fixed"): only the resident's inbox is read here.
    inbox = lambda: smtp.to("resident@example.org")  # noqa: E731
    for expected, action, who, change in script:
        before = len(inbox())
        with committed():
            act(request, action, who, **change)
        heard = len(inbox()) - before
        if expected in (None, "assigned-again"):
            assert heard == 0, (action, subject_of(inbox()[-1]))
        else:
            assert heard == 1, action
            steps.append((expected, None))

    kinds = [kind for kind, _ in steps]
    assert kinds == ["receipt", "assigned", "reply", "on_hold", "resolved", "reopened", "resolved", "closed"]
    assert len(inbox()) == len(kinds)
    for kind, message in zip(kinds, inbox(), strict=True):
        assert message["To"] == "resident@example.org"
        assert subject_of(message) == SUBJECTS[language][kind].format(id=request.public_id)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe_url(message).startswith(f"{PUBLIC_URL}/notifications/unsubscribe/")
        assert message["Auto-Submitted"] == "auto-generated"
        text, html = text_of(message), html_of(message)
        assert SAYS[language][kind] in text, text
        # A signed-in reporter signs in to act: the link carries no tracking token.
        assert f"{PUBLIC_URL}/requests/{request.public_id}\n" in text
        assert request.tracking_token not in text + html
        assert unsubscribe_url(message) in text and unsubscribe_url(message).replace("&", "&amp;") in html
        assert f'lang="{language}"' in html
    to_reporter = Message.objects.filter(request=request, recipient_kind="reporter")
    assert to_reporter.filter(status=MessageStatus.SENT).count() == len(kinds)


def test_the_resolved_email_asks_is_it_fixed_with_links_to_the_tracking_page(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), contact=Contact(email="Anon.Reporter@Example.org"))
    with committed():
        fix(request, people["crew"], "Patched.")
    receipt, resolved = smtp.received
    assert receipt["To"] == "anon.reporter@example.org"
    # An anonymous reporter's links carry the tracking token: it is their key to confirm or reopen.
    assert f"{PUBLIC_URL}/requests/{request.public_id}?token={request.tracking_token}" in text_of(receipt)
    assert "Keep this email" in text_of(receipt)
    text = text_of(resolved)
    answers = {}
    for link in links_in(text):
        parts = urlsplit(link)
        query = parse_qs(parts.query)
        if parts.path == f"/requests/{request.public_id}" and "fixed" in query:
            assert query["token"] == [request.tracking_token]
            answers[query["fixed"][0]] = link
    assert set(answers) == {"yes", "no"}
    assert "Is it fixed?" in text and "it will be closed in 7 days" in text.replace("\n", " ")
    assert "Photo of the finished work: https://311.example.gov/media/requests/" in text
    assert "Patched." in text and 'src="https://311.example.gov/media/requests/' in html_of(resolved)


def test_a_private_categorys_completion_photo_is_not_linked_from_the_email(service, people, smtp, committed):
    """A mail client fetches pictures without the reader's session: the photo stays behind the tracking page."""
    private = service("potholes")
    private.is_private = True
    private.save(update_fields=["is_private"])
    with committed():
        request = submit(private, contact=Contact(email="anon.reporter@example.org"))
    with committed():
        fix(request, people["crew"], "Patched.")
    _receipt, resolved = smtp.received
    assert "Patched." in text_of(resolved)
    assert "/media/" not in text_of(resolved) and "/media/" not in html_of(resolved)


def test_a_request_in_triage_is_told_once_when_it_reaches_a_department(service, people, public_works, smtp, committed):
    with committed():
        request = submit(service("trash-illegal-dumping"))
    assert "The 311 desk will send it to the department that can fix it." in text_of(smtp.received[0])
    with committed():
        act(request, Action.ROUTE, actor(people["agent"], Role.AGENT), department=public_works)
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    subjects = [subject_of(message) for message in smtp.to("someone@example.org")]
    assert subjects[1:] == [f"Your request #{request.public_id} is with Public Works"]
    # A public note written with a later step still reaches the resident, as a reply.
    with committed():
        act(
            request,
            Action.ASSIGN,
            actor(people["staff"], Role.STAFF),
            assignee=people["staff"],
            public_note="Our arborist will look at it.",
        )
    reply = smtp.to("someone@example.org")[-1]
    assert subject_of(reply) == f"News on your request #{request.public_id}"
    assert "Our arborist will look at it." in text_of(reply)


def test_supporters_hear_the_outcome_and_a_reporter_who_confirms_is_not_told_what_they_did(
    service, people, smtp, committed
):
    resident = people["resident"]
    with committed():
        request = submit(service("potholes"), reporter=resident)
        services.service_request_support(service_request=request, user=people["other_resident"])
        services.service_request_support(service_request=request, email="passer.by@example.org")
        services.service_request_support(service_request=request, user=resident)  # the reporter: already follows
    assert [message["To"] for message in smtp.received] == ["resident@example.org"]
    with committed():
        fix(request, people["crew"], "Done.")
    resolved = {message["To"]: message for message in smtp.received[1:]}
    assert set(resolved) == {"resident@example.org", "neighbour@example.org", "passer.by@example.org"}
    supporter = resolved["passer.by@example.org"]
    assert subject_of(supporter) == f"A request you supported is resolved: #{request.public_id}"
    assert "Is it fixed?" not in text_of(supporter) and "token=" not in text_of(supporter)
    assert "because you supported this request" in text_of(supporter)

    before = len(smtp.received)
    with committed():
        act(request, Action.CONFIRM, actor(resident, Role.REQUESTER))
    closed = smtp.received[before:]
    assert sorted(message["To"] for message in closed) == ["neighbour@example.org", "passer.by@example.org"]
    assert all(subject_of(message) == f"A request you supported is closed: #{request.public_id}" for message in closed)


def test_internal_notes_and_bare_internal_steps_are_never_sent(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    staff = actor(people["staff"], Role.STAFF)
    with committed():
        act(request, Action.NOTE, staff, internal_note="Resident called twice, be polite.")
        act(request, Action.START, staff)
    assert len(smtp.received) == 1
    assert not Message.objects.filter(template="reply").exists()
    assert all("be polite" not in text_of(message) for message in smtp.received)


def test_an_automatic_close_is_explained_in_the_readers_language(service, people, smtp, committed):
    from datetime import timedelta

    from django.utils import timezone

    from cityhall.core import clock
    from cityhall.requests.services import service_requests_auto_close

    resident = people["resident"]
    resident.language = "es"
    resident.save(update_fields=["language"])
    with committed():
        request = submit(service("trash-illegal-dumping"), reporter=resident)
        act(
            request,
            Action.RESOLVE,
            actor(people["agent"], Role.AGENT),
            resolution=Resolution.NO_ACTION,
            reason="Already cleared by the owner.",
        )
    with committed(), clock.travel(timezone.now() + timedelta(days=8)):
        assert service_requests_auto_close() == 1
    receipt, resolved, closed = smtp.received
    assert "El servicio 311 la enviará al departamento que pueda arreglarlo." in text_of(receipt)
    assert "No hace falta ninguna actuación." in text_of(resolved)
    assert "Already cleared by the owner." in text_of(resolved)
    assert subject_of(closed) == f"Su solicitud n.º {request.public_id} está cerrada"
    text = " ".join(text_of(closed).split())
    assert "Se cerró automáticamente: nadie respondió en 7 días desde que se resolvió." in text
    assert "Closed automatically" not in text  # the system's English note is not pasted in


def test_names_with_ampersands_read_right_in_every_part(service, people, sms_api, smtp, committed):
    with committed():
        submit(service("weed-debris-control"), contact=Contact(email="someone@example.org"))
        submit(service("weed-debris-control"), contact=Contact(phone="310-555-0123"))
    (email,) = smtp.received
    assert subject_of(email).endswith(": Weed & Debris Control")
    assert "It has gone to Planning & Community Development." in text_of(email)
    assert "Planning &amp; Community Development" in html_of(email)
    (text,) = sms_api.calls
    assert "Weed & Debris Control" in text.form["Body"] and "&amp;" not in text.form["Body"]
