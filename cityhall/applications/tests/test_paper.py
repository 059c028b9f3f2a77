"""Paper to digital: staff key in a resident's paper application, with the scan, and it is reviewed like any other."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.applications.models import Application, ApplicationFile, Channel, Status
from cityhall.applications.services import PAPER_SCAN
from cityhall.documents.tests.memo_builders import memo_pdf

from .test_applying import TREE, edit_url, review_url

pytestmark = pytest.mark.django_db

PDF = memo_pdf("Application for a street tree, signed on paper by Ramón Ortega.")
PAPER = reverse("staff:paper_application")


def scan(data: bytes = PDF, name: str = "signed-form.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def key_in(client: Client, digital_services, **changes) -> object:
    form = {
        "service": digital_services["public-tree"].pk,
        "applicant_name": "Ramón Ortega",
        "applicant_email": "Ramon.Ortega@Example.com",
        "language": "es",
        "scan": scan(),
        **changes,
    }
    return client.post(PAPER, form)


def signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_desk_keys_in_a_paper_application_which_the_resident_then_follows_online(digital_services, people):
    desk = signed_in(people["agent"])
    page = desk.get(PAPER).content.decode()
    assert "Key in a paper application" in page and "Scan of the signed paper form" in page

    started = key_in(desk, digital_services)
    application = Application.objects.get(channel=Channel.PAPER)
    assert started.status_code == 302 and started.url == edit_url(application)
    applicant = application.applicant
    assert (applicant.email, applicant.name, applicant.has_usable_password()) == (
        "ramon.ortega@example.com",
        "Ramón Ortega",
        False,
    )
    assert application.keyed_by == people["agent"] and application.language == "es"
    assert ApplicationFile.objects.get(application=application).field_key == PAPER_SCAN

    # The keyer fills in the resident's own form, then confirms the handwritten signature.
    assert desk.post(edit_url(application), {**TREE, "action": "review"}).url == review_url(application)
    review = desk.get(review_url(application)).content.decode()
    assert "The applicant signed the paper form by hand" in review and "Submit for the applicant" in review
    reviewed = review.split('name="reviewed" value="')[1].split('"')[0]
    unconfirmed = desk.post(review_url(application), {"reviewed": reviewed, "typed_name": "Ramón Ortega"})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm the applicant signed the paper form by hand" in unconfirmed.content.decode()
    sent = desk.post(review_url(application), {"reviewed": reviewed, "typed_name": "Ramón Ortega", "consent": "yes"})
    assert sent.status_code == 302 and sent.url == reverse("staff:application", args=[application.reference])

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW and application.channel == Channel.PAPER
    assert application.signature.consent_version.startswith("paper")
    assert application.signature.typed_name == "Ramón Ortega"
    assert application.steps.filter(status="open").exists()  # reviewed like any other
    # Once submitted, the resident's pages are the resident's alone: the keyer follows it in the workspace.
    assert desk.get(edit_url(application)).status_code == 404

    resident = signed_in(applicant)
    mine = resident.get(reverse("citizen:my_applications")).content.decode()
    assert application.reference in mine
    status = resident.get(reverse("citizen:application_status", args=[application.reference]))
    assert status.status_code == 200


def test_an_existing_account_is_used_and_nothing_is_written_for_a_bad_scan_or_a_bad_address(digital_services, people):
    desk = signed_in(people["staff"])
    refused = key_in(desk, digital_services, scan=scan(b"MZ\x90\x00 not a pdf", "form.pdf"))
    assert refused.status_code == 400 and 'href="#paper_scan"' in refused.content.decode()
    no_address = key_in(desk, digital_services, applicant_email="not an address")
    assert no_address.status_code == 400 and 'href="#paper_applicant_email"' in no_address.content.decode()
    summary_line = "Applicant's email, as written on the form: Enter a valid email address."  # the field named
    assert summary_line in html.unescape(no_address.content.decode())
    assert not Application.objects.exists()
    assert not User.objects.filter(name="Ramón Ortega").exists()

    key_in(desk, digital_services, applicant_email=people["resident"].email.upper())
    assert Application.objects.get().applicant == people["resident"]


@pytest.mark.parametrize(
    ("who", "keys", "fills"),
    [
        ("agent", True, False),
        ("staff", True, True),  # the keyer
        ("supervisor", True, False),
        ("admin", True, False),
        ("crew", False, False),
        ("other_resident", False, False),
    ],
)
def test_who_may_key_in_and_who_may_fill_in_a_paper_draft(digital_services, people, who, keys, fills):
    key_in(signed_in(people["staff"]), digital_services)
    application = Application.objects.get()
    person = signed_in(people[who])
    assert (person.get(PAPER).status_code == 200) is keys
    answers = person.post(edit_url(application), {"tree_address": "1685 Main St", "action": "save"})
    assert (answers.status_code == 302) is fills
    application.refresh_from_db()
    assert ("tree_address" in application.answers) is fills
    assert Client().get(PAPER).status_code == 302  # signed out: to the sign-in page
