"""The request workspace: everything on one page, and exactly the actions the workflow allows (issue 6)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.catalogue.models import ResponseTemplate
from cityhall.requests import access
from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Status, allowed_actions
from cityhall.staff.tests.helpers import UNROUTED, in_status, in_triage, snapshot

pytestmark = pytest.mark.django_db


def _act(client, request, action, **fields):
    return client.post(reverse("staff:act", args=[request.public_id]), {"action": action, **fields})


def _offered(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', page))


@pytest.mark.parametrize("who", ["agent", "staff", "crew", "supervisor", "admin"])
@pytest.mark.parametrize(
    "status", [Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED]
)
def test_the_actions_offered_are_exactly_what_the_workflow_allows(client, people, service, public_works, who, status):
    request = in_status(service("potholes"), status, department=public_works, assignee=people["crew"])
    client.force_login(people[who])
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    roles = access.roles_for(people[who], request)
    expected = {a.value for a in allowed_actions(status, roles)} - {Action.CONFIRM, Action.SUPPORT}
    assert _offered(page) == expected


def test_everything_about_the_request_is_on_one_page(client, people, service, public_works):
    request = submit(service("potholes"), reporter=people["resident"], photos_in=[jpeg_with_gps()])
    near = submit(service("potholes"))
    client.force_login(people["staff"])
    _act(client, request, "note", internal_note="Needs the big truck.")
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    assert "Test report" in page  # the description
    assert "resident@example.org" in page  # contact details, for staff
    assert "Up to a car tire" in page  # the answer to the category's question, by its name
    assert request.attachments.get().thumbnail.url in page
    assert near.public_id in page  # nearby requests
    assert "Needs the big truck." in page and "Internal" in page  # internal notes, marked
    assert "data-map" in page and "map-points" in page
    assert 'class="sla sla-ok"' in page  # the SLA clock


def test_assign_start_hold_and_resume_with_the_clock_paused(client, people, service, public_works):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    assert _act(client, request, "assign", assignee=people["crew"].pk).status_code == 302
    assert _act(client, request, "start").status_code == 302
    response = _act(client, request, "hold", reason="Waiting for the asphalt delivery.")
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.assignee, request.hold_reason) == (
        "on_hold",
        people["crew"],
        "Waiting for the asphalt delivery.",
    )
    assert request.sla_remaining_seconds is not None
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    assert "Clock paused" in page
    assert _act(client, request, "resume").status_code == 302
    request.refresh_from_db()
    assert request.status == "in_progress" and request.sla_remaining_seconds is None


def test_hold_needs_a_reason_and_a_refusal_changes_nothing(client, people, service, public_works):
    request = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    client.force_login(people["crew"])
    before = snapshot(request)
    response = _act(client, request, "hold", reason="  ")
    assert response.status_code == 400
    assert "Give a reason." in response.content.decode()
    assert snapshot(request) == before


def test_a_public_reply_from_the_categorys_template(client, people, service, santa_monica):
    request = submit(service("potholes"))
    template = ResponseTemplate.objects.create(
        jurisdiction=santa_monica, service=service("potholes"), title="Scheduled", text="A crew will fill it this week."
    )
    ResponseTemplate.objects.create(
        jurisdiction=santa_monica, service=service("graffiti-public-property"), title="Graffiti only", text="x"
    )
    client.force_login(people["staff"])
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    assert "Scheduled" in page and "Graffiti only" not in page
    assert _act(client, request, "comment", template=template.pk).status_code == 302
    event = request.events.get(kind=RequestEvent.Kind.COMMENT)
    assert event.public_note == "A crew will fill it this week."


def test_a_template_reply_is_in_the_language_the_resident_reported_in(client, people, service, santa_monica):
    template = ResponseTemplate.objects.create(
        jurisdiction=santa_monica,
        title_en="Scheduled",
        text_en="A crew will fill it this week.",
        text_es="Una cuadrilla lo va a rellenar esta semana.",
    )
    spanish = submit(service("potholes"), language="es")
    english = submit(service("potholes"), language="en")
    client.force_login(people["staff"])
    page = unescape(client.get(reverse("staff:request", args=[spanish.public_id])).content.decode())
    # Staff pick by the title in their own language; the text offered is the resident's language.
    assert 'data-text="Una cuadrilla lo va a rellenar esta semana.">Scheduled</option>' in page
    assert _act(client, spanish, "comment", template=template.pk).status_code == 302
    assert _act(client, english, "comment", template=template.pk).status_code == 302
    assert (
        spanish.events.get(kind=RequestEvent.Kind.COMMENT).public_note == "Una cuadrilla lo va a rellenar esta semana."
    )
    assert english.events.get(kind=RequestEvent.Kind.COMMENT).public_note == "A crew will fill it this week."


def test_an_internal_note_is_never_public(client, people, service):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    photo = SimpleUploadedFile("gate.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert _act(client, request, "note", internal_note="Dog in the yard.", photos=photo).status_code == 302
    event = request.events.get(kind=RequestEvent.Kind.NOTE)
    assert not event.is_public and event.public_note == ""
    request.refresh_from_db()
    assert request.status_note == ""
    # The photo sent with the note stays with staff: not on the resident's page, not in Open311.
    attachment = request.attachments.get()
    assert not attachment.is_public
    client.logout()
    page = client.get(reverse("citizen:track", args=[request.public_id])).content.decode()
    api = client.get(f"/open311/v2/requests/{request.public_id}.json?extensions=true").content.decode()
    for shown in (page, api):
        assert attachment.image.name.rsplit("/", 1)[-1] not in shown
        assert "Dog in the yard" not in shown


def test_resolving_fixed_needs_a_note_and_the_completion_photo_the_category_asks(client, people, service, public_works):
    request = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    client.force_login(people["crew"])
    before = snapshot(request)
    assert _act(client, request, "resolve", resolution="fixed").status_code == 400
    no_photo = _act(client, request, "resolve", resolution="fixed", public_note="Filled.")
    assert no_photo.status_code == 400 and "completion photo" in no_photo.content.decode()
    assert snapshot(request) == before
    photo = SimpleUploadedFile("done.jpg", jpeg_with_gps(), content_type="image/jpeg")
    done = _act(client, request, "resolve", resolution="fixed", public_note="Filled.", photos=photo)
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution) == ("resolved", "fixed")
    assert request.attachments.get().purpose == Attachment.Purpose.COMPLETION


def _files_in(media) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()} if media.exists() else set()


def test_a_refused_action_keeps_none_of_its_photos_and_a_taken_one_keeps_exactly_its_own(
    client, people, service, public_works, settings
):
    """Photos are stored before the action's transaction (which must not wait on storage), so a refusal
    inside it has to delete them: a resident's yard must not stay in the bucket, named by nothing."""
    request = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    client.force_login(people["crew"])
    media = settings.MEDIA_ROOT
    before = _files_in(media)
    photo = SimpleUploadedFile("done.jpg", jpeg_with_gps(), content_type="image/jpeg")
    # Refused inside the transaction: fixing needs a public note.
    refused = _act(client, request, "resolve", resolution="fixed", photos=photo)
    assert refused.status_code == 400
    assert _files_in(media) == before
    photo = SimpleUploadedFile("done.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert _act(client, request, "resolve", resolution="fixed", public_note="Filled.", photos=photo).status_code == 302
    kept = request.attachments.get()
    assert _files_in(media) - before == {kept.image.name, kept.thumbnail.name}


def test_resolve_as_referral_needs_the_agency_and_duplicate_needs_the_parent(client, people, service, public_works):
    request = in_status(service("potholes"), Status.ROUTED, department=public_works)
    client.force_login(people["staff"])
    assert _act(client, request, "resolve", resolution="referred").status_code == 400
    assert _act(client, request, "resolve", resolution="duplicate").status_code == 400
    assert ServiceRequest.objects.get(pk=request.pk).status == "routed"
    parent = submit(service("potholes"), reporter=people["other_resident"])
    supporter = people["resident"]
    ServiceRequest.objects.filter(pk=request.pk).update(reporter=supporter)
    assert _act(client, request, "resolve", resolution="duplicate", duplicate_of=parent.public_id).status_code == 302
    assert parent.supports.filter(user=supporter).exists()  # the reporter now follows the parent


def test_an_action_not_offered_is_refused_and_changes_nothing(client, people, service, public_works):
    request = in_status(service("potholes"), Status.ASSIGNED, department=public_works, assignee=people["crew"])
    client.force_login(people["crew"])
    before = snapshot(request)
    response = _act(client, request, "route", department=public_works.pk)
    assert response.status_code == 403
    assert snapshot(request) == before


def test_recategorise_applies_the_new_categorys_questions(client, people, service):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    graffiti = service("graffiti-public-property")
    missing = _act(client, request, "recategorise", service=graffiti.pk)
    assert missing.status_code == 400 and "Please answer" in missing.content.decode()
    assert 'name="attribute[SURFACE]"' in missing.content.decode()  # the new category's questions, shown
    assert (
        _act(client, request, "recategorise", service=graffiti.pk, **{"attribute[SURFACE]": "WALL"}).status_code == 302
    )
    request.refresh_from_db()
    assert request.service == graffiti and request.attributes == {"SURFACE": "WALL"}


def test_the_questions_of_a_category_come_as_a_fragment(client, people, service):
    client.force_login(people["agent"])
    fragment = client.get(reverse("staff:questions"), {"service": service("graffiti-public-property").pk})
    assert 'name="attribute[SURFACE]"' in fragment.content.decode()


def test_a_triage_request_workspace_offers_the_desk_its_actions(client, people, service):
    request = in_triage(service(UNROUTED))
    client.force_login(people["agent"])
    page = client.get(reverse("staff:request", args=[request.public_id])).content.decode()
    assert {"route", "resolve", "comment", "note", "recategorise"} <= _offered(page)


def test_the_workspace_speaks_spanish(client, people, service):
    request = submit(service("potholes"))
    client.force_login(people["staff"])
    page = client.get(reverse("staff:request", args=[request.public_id]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cronología" in page and "Acciones" in page


def test_a_place_told_by_its_nearest_address_reads_in_each_reader_s_language(client, people, service):
    """Reverse geocoding stores “near 1675 Main St” in English, like the street names; every page says it in
    the reader's language, the staff's as well as the resident's."""
    request = submit(service("potholes"))
    ServiceRequest.objects.filter(pk=request.pk).update(address="near 1675 Main St")
    pages = {
        "workspace": (people["staff"], reverse("staff:request", args=[request.public_id])),
        "tracking": (people["staff"], reverse("citizen:track", args=[request.public_id])),
    }
    for name, (person, url) in pages.items():
        client.force_login(person)
        for language, said in (("es", "Cerca de 1675 Main St"), ("en", "Near 1675 Main St")):
            page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert said in page and "near 1675" not in page, (name, language)


def test_the_department_a_request_was_sent_to_reads_in_each_reader_s_language(client, people, service, public_works):
    """The routing event keeps the department's name in the language of whoever routed it; each page names
    it in its reader's."""
    public_works.name_en, public_works.name_es = "Public Works", "Obras Públicas"
    public_works.save()
    request = submit(service("potholes"))
    for written in ("Public Works", "Obras Públicas"):  # routed by someone reading English, then Spanish
        request.events.filter(action="route").update(data={"department": written})
        for person, url in (
            (people["staff"], reverse("staff:request", args=[request.public_id])),
            (people["resident"], reverse("citizen:track", args=[request.public_id])),
        ):
            client.force_login(person)
            for language, said, other in (("es", "Obras Públicas", "Public Works"), ("en", "Public Works", "Obras")):
                page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
                assert said in page and other not in page, (written, url, language)


def test_who_acted_without_a_name_reads_in_the_staff_member_s_language(client, people, service, public_works):
    """An anonymous report and its routing name no person: the timeline says what acted, in the reader's words."""
    request = submit(service("potholes"))
    assert request.events.filter(action="route").exists()
    client.force_login(people["staff"])
    for language, requester, system in (
        ("es", "Solicitante", "Ciudad de Santa Mónica, automáticamente"),
        ("en", "Requester", "City of Santa Monica, automatically"),
    ):
        page = client.get(reverse("staff:request", args=[request.public_id]), HTTP_ACCEPT_LANGUAGE=language)
        text = page.content.decode()
        assert f"· {requester}</span>" in text and f"· {system}</span>" in text, language
        assert "· requester<" not in text and "· system<" not in text
