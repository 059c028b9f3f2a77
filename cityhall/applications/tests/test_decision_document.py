"""The decision document: issued once after the decision commits, signed by each decider, sealed, valid."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.core.files.storage import default_storage
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from cityhall.applications import services
from cityhall.applications.models import Application, ApplicationEvent
from cityhall.applications.workflow import Action
from cityhall.documents.selectors import documents_about
from cityhall.documents.services import document_withdraw
from cityhall.documents.tests.conftest import served_context
from cityhall.documents.verification import verify_pdf

from .builders import decide, steps, submitted, without_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pdf_of(application: Application) -> bytes:
    (document,) = documents_about(f"application:{application.reference}")
    with default_storage.open(document.file_name, "rb") as file:
        return file.read()


def printed(data: bytes) -> str:
    """The text the pages draw: fpdf2 writes core-font text as literal strings in Flate streams."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    shown = re.findall(r"\(((?:\\.|[^\\)])*)\) Tj", "".join(texts))
    return " ".join(text.replace("\\(", "(").replace("\\)", ")") for text in shown)


def approve_all(application, people, capture, **last_words):
    forester, historic, sign_off = steps(application)
    decide(application, forester, people["staff"], Action.APPROVE)
    decide(application, historic, people["other_staff"], Action.APPROVE_WITH_CONDITIONS, conditions="Hand-prune only.")
    with capture(execute=True):
        decide(application, sign_off, people["supervisor"], Action.APPROVE_WITH_CONDITIONS, conditions="Not in May.")
    return Application.objects.get(pk=application.pk)


def test_an_approval_issues_one_permit_signed_by_each_approver_and_sealed(
    two_stage_tree, people, client, django_capture_on_commit_callbacks
):
    application = submitted(two_stage_tree, people["resident"])
    application = approve_all(application, people, django_capture_on_commit_callbacks)

    (document,) = documents_about(f"application:{application.reference}")
    assert application.document_number == document.number and document.kind == "permit"
    assert document.title == "Public tree work permit" and document.sealed_at is not None
    event = ApplicationEvent.objects.get(application=application, kind="document_issued")
    assert event.data == {"number": document.number, "kind": "permit", "unsigned": []}

    data = pdf_of(application)
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert [signature.field_name for signature in embedded] == ["Signature1", "Signature2", "Signature3", "CitySeal"]
    context = served_context(client)
    statuses = [validate_pdf_signature(signature, context) for signature in embedded]
    assert all(status.bottom_line for status in statuses)
    assert [status.signing_cert.subject.native["common_name"] for status in statuses[:3]] == [
        people["staff"].name,
        people["other_staff"].name,
        people["supervisor"].name,
    ]
    assert verify_pdf(data).genuine
    page = printed(data)
    for words in ("Hand-prune only.", "Not in May.", application.reference, "Historic district review"):
        assert words in page

    # The task runs again (a retry, a second worker): nothing new.
    assert services.application_decision_document_issue(application.pk) == document.number
    assert len(documents_about(f"application:{application.reference}")) == 1
    assert ApplicationEvent.objects.filter(application=application, kind="document_issued").count() == 1


def test_an_approver_who_can_no_longer_sign_is_named_and_the_city_still_seals(
    two_stage_tree, people, client, django_capture_on_commit_callbacks
):
    application = submitted(two_stage_tree, people["resident"])
    forester, historic, sign_off = steps(application)
    decide(application, forester, people["staff"], Action.APPROVE)
    without_second_factor(people["staff"])  # lost their authenticator after deciding
    decide(application, historic, people["other_staff"], Action.APPROVE)
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, sign_off, people["supervisor"], Action.APPROVE)

    event = ApplicationEvent.objects.get(application=application, kind="document_issued")
    assert event.data["unsigned"] == [people["staff"].name]
    embedded = PdfFileReader(io.BytesIO(pdf_of(application))).embedded_signatures
    assert [signature.field_name for signature in embedded] == ["Signature1", "Signature2", "CitySeal"]
    assert all(validate_pdf_signature(signature, served_context(client)).bottom_line for signature in embedded)


def test_a_denial_issues_a_decision_letter_signed_by_who_denied(
    two_stage_tree, people, client, django_capture_on_commit_callbacks
):
    application = submitted(two_stage_tree, people["resident"])
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, steps(application)[1], people["other_staff"], Action.DENY, reason="A heritage tree.")
    application.refresh_from_db()
    (document,) = documents_about(f"application:{application.reference}")
    assert document.kind == "denial" and application.document_number == document.number
    data = pdf_of(application)
    assert "A heritage tree." in printed(data)
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert [signature.field_name for signature in embedded] == ["Signature1", "CitySeal"]
    assert all(validate_pdf_signature(signature, served_context(client)).bottom_line for signature in embedded)


def test_a_document_the_seal_could_not_seal_is_issued_by_a_later_sweep(
    two_stage_tree, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from cityhall.applications.tasks import issue_missing_decision_documents
    from cityhall.core import clock

    settings.CITYHALL_SIGNING_SEAL_PKCS11_MODULE = str(tmp_path / "no-such-module.so")  # the token is down
    application = approve_all(submitted(two_stage_tree, people["resident"]), people, django_capture_on_commit_callbacks)
    assert application.document_number == ""
    assert not documents_about(f"application:{application.reference}").exists()  # nothing half-made is kept
    assert stored_documents() == []  # not even the issued PDF or the signed one, stored before the seal failed
    assert issue_missing_decision_documents.call() == 0  # down still, and too soon anyway

    settings.CITYHALL_SIGNING_SEAL_PKCS11_MODULE = ""  # the token is back (here: the seal's key pair)
    assert issue_missing_decision_documents.call() == 0  # the decision's own task has ten minutes first
    with clock.travel(clock.now() + timedelta(minutes=11)):
        with django_capture_on_commit_callbacks(execute=True):  # each signature deletes the file before it
            assert issue_missing_decision_documents.call() == 1
        assert issue_missing_decision_documents.call() == 0  # issued once
    application.refresh_from_db()
    (document,) = documents_about(f"application:{application.reference}")
    assert application.document_number == document.number and document.sealed_at is not None
    assert stored_documents() == [document.file_name]  # the issued and the signed ones went once sealed
    assert ApplicationEvent.objects.filter(application=application, kind="document_issued").count() == 1


def stored_documents() -> list[str]:
    """Every document file in storage."""
    if not default_storage.exists("documents"):
        return []
    folders, _ = default_storage.listdir("documents")
    return sorted(
        f"documents/{folder}/{name}" for folder in folders for name in default_storage.listdir(f"documents/{folder}")[1]
    )


def test_the_applicant_downloads_the_signed_decision_from_their_page(
    two_stage_tree, people, client, django_capture_on_commit_callbacks
):
    application = submitted(two_stage_tree, people["resident"])
    page_url = f"/applications/{application.reference}"
    download = f"{page_url}/decision.pdf"
    client.force_login(people["resident"])
    assert download not in client.get(page_url).content.decode() and client.get(download).status_code == 404
    application = approve_all(application, people, django_capture_on_commit_callbacks)

    for language, words in (
        ("en", "download the signed decision (PDF)"),
        ("es", "descargar la decisión firmada (PDF)"),
    ):
        page = client.get(page_url, headers={"accept-language": language}).content.decode()
        assert f'<a href="{download}" download>{words}</a>' in page
    response = client.get(download)
    assert response["Content-Disposition"] == f'attachment; filename="{application.document_number}.pdf"'
    assert b"".join(response.streaming_content) == pdf_of(application)
    assert "no-store" in response["Cache-Control"]
    client.force_login(people["other_resident"])  # someone else's decision is a page that does not exist
    assert client.get(download).status_code == 404


def test_a_withdrawn_decision_is_no_longer_handed_to_its_applicant(
    two_stage_tree, people, client, django_capture_on_commit_callbacks
):
    application = approve_all(submitted(two_stage_tree, people["resident"]), people, django_capture_on_commit_callbacks)
    page_url = f"/applications/{application.reference}"
    client.force_login(people["resident"])
    assert client.get(f"{page_url}/decision.pdf").status_code == 200
    (document,) = documents_about(f"application:{application.reference}")
    document_withdraw(document, reason="Issued for the wrong address.")

    for language, words in (
        ("en", "The city withdrew its signed decision on"),
        ("es", "La ciudad retiró su decisión firmada el"),
    ):
        page = client.get(page_url, headers={"accept-language": language}).content.decode()
        assert words in page and "Issued for the wrong address." in page
        assert f"{page_url}/decision.pdf" not in page
        assert f'href="/verify/{document.number}"' in page
    assert client.get(f"{page_url}/decision.pdf").status_code == 404
