"""The approvers' pages through HTTP: the queue of review steps, the application page, its actions, who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from cityhall.accounts import sso
from cityhall.accounts.models import Role, User
from cityhall.applications.models import Application, ApplicationEvent, ApplicationStep, Status, StepStatus
from cityhall.catalogue.models import Department
from cityhall.core import clock

from .applications import PDF, STAFF, SUPERVISORS, block_party, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(santa_monica) -> Department:
    return Department.objects.get(jurisdiction=santa_monica, slug="police")


@pytest.fixture
def service(santa_monica, public_works, police):
    return block_party(
        santa_monica, [(1, "Street closure review", public_works, STAFF), (2, "Police sign-off", police, SUPERVISORS)]
    )


@pytest.fixture
def application(service, people) -> Application:
    return submitted(service, people["resident"])


def first_step(application: Application) -> ApplicationStep:
    return ApplicationStep.objects.get(application=application, position=0)


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_url(application: Application) -> str:
    return reverse("staff:application", args=[application.reference])


def act_url(application: Application) -> str:
    return reverse("staff:application_act", args=[application.reference])


def state(application: Application) -> tuple[str, list[str], int]:
    """What an action would change: the status, the steps' statuses, the number of events."""
    application.refresh_from_db()
    steps = list(ApplicationStep.objects.filter(application=application).order_by("position"))
    return (
        application.status,
        [step.status for step in steps],
        ApplicationEvent.objects.filter(application=application).count(),
    )


# ------------------------------------------------------------------ the queue


def test_the_department_queue_lists_its_open_steps_overdue_first(application, service, people, public_works):
    other = submitted(service, people["other_resident"])
    ApplicationStep.objects.filter(application=other, position=0).update(due_at=clock.now() - timedelta(hours=3))
    client = client_of(people["staff"])
    page = client.get(reverse("staff:applications")).content.decode()
    assert page.index(other.reference) < page.index(application.reference)  # the overdue lead
    assert "Block party permit (street closure)" in page and "Street closure review" in page
    assert "resident" in page and "neighbour" in page  # the applicants' names
    assert page.count("sla-overdue") == 1 and "Overdue" in page
    assert 'aria-current="page">Applications<' in page

    overdue = client.get(reverse("staff:applications"), {"overdue": "1"}).content.decode()
    assert other.reference in overdue and application.reference not in overdue
    by_service = client.get(reverse("staff:applications"), {"service": service.pk + 1000}).content.decode()
    assert application.reference not in by_service

    spanish = client.get(reverse("staff:applications"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Trámites: Obras Públicas" in spanish and "Vencida" in spanish and "Street closure review (es)" in spanish
    assert '<button type="submit">Filtrar</button>' in spanish  # the verb, not the admin's noun "Filtro"


@pytest.mark.parametrize(("language", "due"), [("en", "due <time"), ("es", "vence <time")])
def test_the_queue_and_the_page_write_a_step_s_due_date_in_the_reader_s_language(application, people, language, due):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    ApplicationStep.objects.filter(pk=first_step(application).pk).update(
        due_at=datetime(2026, 12, 11, 17, tzinfo=ZoneInfo("America/Los_Angeles"))
    )
    expected = {"en": ">Dec 11, 5:00 PM</time>", "es": ">11 dic, 17:00</time>"}[language]  # not "Dic 11, 17:00"
    client = client_of(people["staff"])
    for url in (reverse("staff:applications"), page_url(application)):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        badge = page[page.index(due) :]
        assert badge[: badge.index("</time>") + len("</time>")].endswith(expected), url


def test_the_queue_s_service_filter_offers_only_the_services_the_department_reviews(application, santa_monica, people):
    from cityhall.demo.applications import load_digital_services

    load_digital_services(santa_monica)  # the demo's other forms: records (the clerk), trees (Public Works)
    page = client_of(people["staff"]).get(reverse("staff:applications")).content.decode()
    options = page[page.index('id="a-service"') : page.index("</select>", page.index('id="a-service"'))]
    assert "Block party permit (street closure)" in options  # Public Works reviews the closure
    assert "Public records request" not in options  # only the clerk and the attorney review those
    assert "tree" in options.lower()  # the urban forester is Public Works


def test_the_desk_and_admins_pick_a_department_and_others_see_none_but_theirs(application, people, public_works):
    for who in ("agent", "admin"):
        client = client_of(people[who])
        picker = client.get(reverse("staff:applications")).content.decode()
        assert reverse("staff:applications_of", args=[public_works.pk]) in picker
        assert (
            application.reference
            in client.get(reverse("staff:applications_of", args=[public_works.pk])).content.decode()
        )
    planning = client_of(people["other_staff"])
    assert application.reference not in planning.get(reverse("staff:applications")).content.decode()
    assert planning.get(reverse("staff:applications_of", args=[public_works.pk])).status_code == 404
    assert client_of(people["resident"]).get(reverse("staff:applications")).status_code == 404
    assert client_of(None).get(reverse("staff:applications")).status_code == 302


# ------------------------------------------------------------------ the page


@pytest.mark.parametrize(
    ("who", "status", "decides"),
    [
        ("staff", 200, True),
        ("supervisor", 200, True),
        ("agent", 200, False),
        ("admin", 200, False),
        ("other_staff", 404, False),
        ("crew", 404, False),
        ("resident", 404, False),  # the applicant has their own page, not the staff's
        ("other_resident", 404, False),
        (None, 302, False),
    ],
)
def test_who_opens_the_application_page(application, people, who, status, decides):
    response = client_of(people[who] if who else None).get(page_url(application))
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert "Pine Street summer party" in page and "petition.pdf" in page and "Rosa Resident" in page
    assert application.signature.sha256 in page
    assert ('name="action" value="approve"' in page) is decides
    assert ('name="action" value="note"' in page) is decides  # notes are for the departments involved


def test_the_page_reads_in_spanish(application, people):
    page = client_of(people["staff"]).get(page_url(application), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Nombre del evento" in page and "Pasos de revisión" in page and "Solicitante" in page
    assert "Firma electrónica" in page and "Street closure review (es)" in page


def test_files_are_streamed_to_staff_who_may_see_the_application(application, people):
    file_id = application.answers["petition"][0]["id"]
    url = reverse("staff:application_file", args=[application.reference, file_id])
    served = client_of(people["staff"]).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert "attachment" in served["Content-Disposition"] and served["X-Content-Type-Options"] == "nosniff"
    assert client_of(people["other_staff"]).get(url).status_code == 404
    assert (
        client_of(people["staff"]).get(reverse("staff:application_file", args=[application.reference, "x"])).status_code
        == 404
    )


# ------------------------------------------------------------------ the actions

ACTIONS = {
    "approve": {},
    "approve_with_conditions": {"conditions": "Keep a lane open for emergency vehicles."},
    "deny": {"reason": "The block hosts a hospital entrance."},
    "ask_info": {"question": "Which households signed the petition?"},
    "note": {"note": "Checked the petition: 31 of 40 households."},
}
DONE = {
    "approve": (Status.IN_REVIEW, [StepStatus.APPROVED, StepStatus.OPEN]),
    "approve_with_conditions": (Status.IN_REVIEW, [StepStatus.APPROVED, StepStatus.OPEN]),
    "deny": (Status.DENIED, [StepStatus.DENIED, StepStatus.CANCELLED]),
    "ask_info": (Status.INFO_REQUESTED, [StepStatus.OPEN, StepStatus.WAITING]),
    "note": (Status.IN_REVIEW, [StepStatus.OPEN, StepStatus.WAITING]),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", 302),
        ("supervisor", 302),
        ("agent", 403),
        ("admin", 403),
        ("other_staff", 404),
        ("crew", 404),
        ("resident", 404),
        (None, 302),
    ],
)
def test_who_may_take_each_action_and_a_refusal_changes_nothing(application, people, action, who, expected):
    before = state(application)
    form = {"action": action, "step": first_step(application).pk, **ACTIONS[action]}
    response = client_of(people[who] if who else None).post(act_url(application), form)
    assert response.status_code == expected
    if who in ("staff", "supervisor"):
        assert response.url == page_url(application)
        status, steps, events = state(application)
        assert (status, steps) == DONE[action] and events > before[2]
        step = first_step(application)
        if action != "note" and action != "ask_info":
            assert step.decided_by == people[who]
        assert step.conditions == ACTIONS[action].get("conditions", "")
    else:
        assert state(application) == before
        if who is None:
            assert response.url.startswith(reverse("account_login"))


def test_a_step_of_another_stage_or_application_is_refused(application, service, people):
    police_step = ApplicationStep.objects.get(application=application, position=1)  # waiting, and not theirs
    other_step = first_step(submitted(service, people["other_resident"]))
    client = client_of(people["staff"])
    before = state(application)
    for step in (police_step.pk, other_step.pk, "nothing"):
        response = client.post(act_url(application), {"action": "approve", "step": step})
        assert response.status_code in (403, 409)
        assert state(application) == before
    forged = client.post(act_url(application), {"action": "withdraw"})
    assert forged.status_code == 403 and state(application) == before


def test_missing_words_are_shown_beside_the_field_in_the_persons_language(application, people):
    step = first_step(application)
    client = client_of(people["staff"])
    before = state(application)
    response = client.post(act_url(application), {"action": "deny", "step": step.pk, "reason": "  "})
    assert response.status_code == 400 and state(application) == before
    page = response.content.decode()
    assert f'href="#deny-{step.pk}-text"' in page  # the summary links to the box
    assert f'aria-describedby="deny-{step.pk}-error"' in page and "Say why the application is denied" in page
    assert f'<details id="deny-{step.pk}" open>' in page

    spanish = client.post(
        act_url(application), {"action": "approve_with_conditions", "step": step.pk}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert spanish.status_code == 400 and "No se cambió nada" in spanish.content.decode()
    too_long = client.post(act_url(application), {"action": "note", "note": "x" * 4001})
    assert too_long.status_code == 400 and 'href="#note-application-text"' in too_long.content.decode()
    assert state(application) == before


@pytest.mark.parametrize(
    ("language", "moved", "asked", "denied"),
    [
        ("en", "Signed and submitted → In review", "Information requested", "Denied"),
        ("es", "Firmada y enviada → En revisión", "Información solicitada", "Denegada"),
    ],
)
def test_the_timeline_names_a_status_only_where_its_row_does_not_already_say_it(
    application, people, language, moved, asked, denied
):
    client = client_of(people["staff"])
    step = first_step(application).pk
    client.post(act_url(application), {"action": "ask_info", "step": step, "question": "Which households?"})
    client_of(people["resident"]).post(
        reverse("citizen:application_answer", args=[application.reference]), {"answer": "Forty."}
    )
    client.post(act_url(application), {"action": "deny", "step": step, "reason": "A hospital entrance."})
    page = client.get(page_url(application), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    timeline = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    # Each row: when and who, then (after a line break) what happened.
    rows = [" ".join(strip_tags(row.split("<br>")[1]).split()) for row in timeline.split("<li")[1:]]
    assert moved in rows  # a change its event's name does not say
    said = [row for row in rows if row.startswith((asked, denied))]
    assert len(said) == 2 and not any("→" in row for row in said)  # not "Denied → Denied"


def test_a_step_owner_without_a_second_factor_reads_why_and_where_to_set_one_up(application, people, settings):
    from allauth.mfa.models import Authenticator

    settings.CITYHALL_OIDC_TRUST_MFA = True  # signed in through the city's provider: the pages open
    owner = User.objects.create_user(
        "sso-staff@example.org", None, role=Role.STAFF, name="Sam", department=people["staff"].department
    )
    assert not Authenticator.objects.filter(user=owner).exists()
    client = client_of(owner)
    session = client.session
    session[sso.SESSION_KEY] = "city"
    session.save()
    page = client.get(page_url(application)).content.decode()
    assert "Set up a second factor (an authenticator app or a passkey) before you decide" in page
    assert reverse("mfa_index") in page
    assert 'value="approve"' not in page and 'value="ask_info"' in page  # asking needs no signature
    before = state(application)
    refused = client.post(act_url(application), {"action": "approve", "step": first_step(application).pk})
    assert refused.status_code == 403 and state(application) == before


def test_the_supervisors_sla_board_lists_overdue_application_reviews(application, people):
    client = client_of(people["supervisor"])
    assert application.reference not in client.get(reverse("staff:supervisor")).content.decode()
    ApplicationStep.objects.filter(application=application, position=0).update(due_at=clock.now() - timedelta(days=1))
    board = client.get(reverse("staff:supervisor")).content.decode()
    assert "Overdue application reviews (1)" in board and application.reference in board


# ------------------------------------------------------------------ live


def test_the_page_and_the_queues_hear_an_application_event_and_nothing_else(application, people, public_works, police):
    from cityhall.live.topics import application_topic, applications_queue_topic, request_topic, sign

    topics = {
        "page": application_topic(application.reference),
        "works": applications_queue_topic(public_works.pk),
        "police": applications_queue_topic(police.pk),  # its step waits: its queue shows it once open
        "planning": applications_queue_topic(people["other_staff"].department_id),
        "request": request_topic("12345678"),
    }
    client = client_of(people["staff"])
    page = client.get(page_url(application)).content.decode()
    start = int(page.split("after=")[1].split('"')[0].split("&")[0])  # the page's position in the stream
    assert start == ApplicationEvent.objects.order_by("-id").first().pk
    client.post(act_url(application), {"action": "approve", "step": first_step(application).pk})
    written = list(ApplicationEvent.objects.filter(application=application, id__gt=start).values_list("id", flat=True))
    assert written  # the step approved, the next stage opened
    for name, topic in topics.items():
        heard = client.get("/live/poll", {"t": sign([topic]), "after": start}).json()
        expected = written if name in ("page", "works", "police") else []
        # The poll reads back a little behind the position (commits out of id order): the page skips what it saw.
        assert [change["event"] for change in heard["changes"] if change["event"] > start] == expected, name
    queue = client.get(reverse("staff:applications")).content.decode()
    assert "data-live-stream" in queue


# ------------------------------------------------------------------ the applicant answers


def test_the_applicant_answers_the_question_on_their_page_and_the_review_goes_on(application, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = client_of(people["staff"])
    staff.post(act_url(application), {"action": "note", "note": "Petition looks thin."})
    question = "Which households signed the petition?"
    staff.post(act_url(application), {"action": "ask_info", "step": first_step(application).pk, "question": question})
    resident = client_of(people["resident"])
    status_url = reverse("citizen:application_status", args=[application.reference])
    page = resident.get(status_url).content.decode()
    assert question in page and 'action="' + reverse("citizen:application_answer", args=[application.reference]) in page
    assert "Petition looks thin" not in page and "Internal note" not in page  # the staff's notes stay theirs

    answer_url = reverse("citizen:application_answer", args=[application.reference])
    empty = resident.post(answer_url, {"answer": " "}, HTTP_ACCEPT_LANGUAGE="es")
    assert empty.status_code == 400 and 'href="#answer-text"' in empty.content.decode()
    assert 'aria-describedby="answer-text-error"' in empty.content.decode() and "Su respuesta" in empty.content.decode()
    assert state(application)[0] == Status.INFO_REQUESTED
    assert client_of(people["other_resident"]).post(answer_url, {"answer": "Me"}).status_code == 404

    files = [SimpleUploadedFile("households.pdf", PDF, "application/pdf")]
    sent = resident.post(answer_url, {"answer": "31 of the 40 households; list attached.", "files": files})
    assert sent.status_code == 302 and state(application)[0] == Status.IN_REVIEW
    staff_page = staff.get(page_url(application)).content.decode()
    assert "31 of the 40 households" in staff_page and "households.pdf" in staff_page


@pytest.mark.parametrize(
    ("language", "system"),
    [("en", "City of Santa Monica, automatically"), ("es", "Ciudad de Santa Mónica, automáticamente")],
)
def test_an_event_no_person_made_is_the_system_s_in_the_reader_s_language(application, people, language, system):
    """The signed decision is issued by the application for the city: its row names no person, and not the
    software either."""
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.DOCUMENT_ISSUED, at=clock.now(), actor=None
    )
    page = client_of(people["staff"]).get(page_url(application), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    whens = [row.split("</span>", 1)[0] for row in page.split('<span class="when">')[1:]]
    whos = [" ".join(strip_tags(when.split("·", 1)[1]).split()) for when in whens]
    assert system in whos and "CityHall" not in whos, whos
