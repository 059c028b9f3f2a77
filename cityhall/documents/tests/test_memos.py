"""Internal memos through their services: upload checks, turn order, decline, withdraw, and the sealed result
as pyHanko's validator and /verify see it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from cityhall.accounts.models import Role, User
from cityhall.core.errors import DomainError, ValidationFailed
from cityhall.documents import memos, services
from cityhall.documents.models import Document, DocumentSignature, Memo, MemoEvent, MemoSigner
from cityhall.documents.verification import Reason, verify_pdf

from .conftest import stored_bytes
from .memo_builders import encrypted_pdf, memo_pdf, pdf_with_compressed_javascript, pdf_with_javascript, upload
from .test_signing import served_context

pytestmark = pytest.mark.django_db
ROTA = memo_pdf()


@pytest.fixture
def routed(people):
    """A clerk's memo for the supervisor, then the planner, to sign in that order."""
    return upload(ROTA, signers=[people["supervisor"], people["other_staff"]], author=people["staff"])


def snapshot(memo: Memo) -> tuple:
    """Everything a memo's change could write, to show that a refusal wrote nothing."""
    memo.refresh_from_db()
    document = Document.objects.get(pk=memo.document_id)
    return (
        memo.status,
        document.status,
        document.sha256,
        document.file_name,
        list(MemoSigner.objects.filter(memo=memo).values_list("position", "signed_at")),
        MemoEvent.objects.filter(memo=memo).count(),
        DocumentSignature.objects.filter(document=document).count(),
    )


def kinds(memo: Memo) -> list[str]:
    return list(MemoEvent.objects.filter(memo=memo).order_by("at", "pk").values_list("kind", flat=True))


def test_an_uploaded_memo_is_kept_as_uploaded_and_routed_in_order(routed, people):
    document = routed.document

    assert document.kind == "memo"
    assert stored_bytes(document) == ROTA  # the PDF as uploaded: not re-rendered
    assert verify_pdf(stored_bytes(document)).reasons == [Reason.NOT_SIGNED]
    assert [row.person for row in MemoSigner.objects.filter(memo=routed)] == [
        people["supervisor"],
        people["other_staff"],
    ]
    assert routed.status == Memo.Status.ROUTING
    assert kinds(routed) == ["uploaded"]
    assert memos.memo_actions(routed, people["supervisor"]) == {"sign", "decline"}
    assert memos.memo_actions(routed, people["other_staff"]) == frozenset()
    assert memos.memo_actions(routed, people["staff"]) == {"withdraw"}


def test_signers_sign_in_turn_and_the_city_seals_after_the_last(client, routed, people):
    memos.memo_sign(routed.document, people["supervisor"])
    assert memos.memo_actions(routed, people["other_staff"]) == {"sign", "decline"}
    sealed = memos.memo_sign(routed.document, people["other_staff"])

    assert sealed.status == Memo.Status.SEALED
    assert kinds(sealed) == ["uploaded", "signed", "signed", "sealed"]
    data = stored_bytes(Document.objects.get(pk=routed.document_id))
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    statuses = [validate_pdf_signature(signature, served_context(client)) for signature in embedded]
    assert [signature.field_name for signature in embedded] == ["Signature1", "Signature2", "CitySeal"]
    assert all(status.bottom_line and status.trusted and not status.revoked for status in statuses)
    assert [status.signing_cert.subject.native["common_name"] for status in statuses[:2]] == [
        people["supervisor"].name,
        people["other_staff"].name,
    ]
    assert statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    # The first revision is the upload itself, byte for byte.
    assert data.startswith(ROTA)

    page = client.post("/verify", {"document": SimpleUploadedFile("rota.pdf", data)}).content.decode()
    assert "This document is genuine" in page
    assert f"Signed by {people['supervisor'].name}" in page
    assert f"Signed by {people['other_staff'].name}" in page
    assert "Sealed by the city" in page
    assert routed.document.number in page


def test_only_the_signer_whose_turn_it_is_may_sign_and_a_refusal_writes_nothing(routed, people):
    before = snapshot(routed)
    for person in (people["other_staff"], people["staff"], people["crew"], people["resident"]):
        with pytest.raises(DomainError) as refused:
            memos.memo_sign(routed.document, person)
        assert refused.value.message == "It is not your turn to sign this memo."
        assert refused.value.code == "forbidden"
        with pytest.raises(DomainError):
            memos.memo_decline(routed.document, person, "No.")
    with pytest.raises(DomainError) as refused:
        memos.memo_withdraw(routed.document, people["supervisor"])
    assert refused.value.message == "Only the memo's author may withdraw it."
    assert snapshot(routed) == before

    memos.memo_sign(routed.document, people["supervisor"])
    with pytest.raises(DomainError):
        memos.memo_sign(routed.document, people["supervisor"])  # signed already: the turn has moved on
    assert kinds(routed) == ["uploaded", "signed"]


def test_a_decline_stops_the_routing_and_the_author_sees_why(client, routed, people):
    memos.memo_sign(routed.document, people["supervisor"])
    before = snapshot(routed)
    with pytest.raises(ValidationFailed) as refused:
        memos.memo_decline(routed.document, people["other_staff"], "   ")
    assert refused.value.errors == {"reason": "Say why, in at most 500 characters."}
    assert snapshot(routed) == before

    declined = memos.memo_decline(routed.document, people["other_staff"], "The rota leaves Sunday uncovered.")

    assert declined.status == Memo.Status.DECLINED
    event = MemoEvent.objects.filter(memo=routed).last()
    assert (event.kind, event.person, event.reason) == (
        "declined",
        people["other_staff"],
        "The rota leaves Sunday uncovered.",
    )
    assert memos.memo_actions(declined, people["staff"]) == frozenset()
    with pytest.raises(DomainError) as refused:
        memos.memo_sign(routed.document, people["other_staff"])
    assert refused.value.code == "conflict"
    # A copy of the half-signed PDF is not a document the city stands by.
    assert Reason.WITHDRAWN in verify_pdf(stored_bytes(Document.objects.get(pk=routed.document_id))).reasons
    # The public record says so in the reader's language, without the signer's words.
    record = client.get(f"/verify/{routed.document.number}", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Rechazado por un firmante" in record
    assert "Sunday" not in record


def test_the_author_withdraws_before_the_seal_but_not_after(routed, people):
    withdrawn = memos.memo_withdraw(routed.document, people["staff"], "Sent by mistake")

    assert withdrawn.status == Memo.Status.WITHDRAWN
    assert kinds(routed) == ["uploaded", "withdrawn"]
    assert Document.objects.get(pk=routed.document_id).status == Document.Status.WITHDRAWN
    with pytest.raises(DomainError):
        memos.memo_sign(routed.document, people["supervisor"])

    other = upload(memo_pdf("Second memo"), signers=[people["supervisor"]], author=people["staff"])
    memos.memo_sign(other.document, people["supervisor"])
    before = snapshot(other)
    with pytest.raises(DomainError) as refused:
        memos.memo_withdraw(other.document, people["staff"])
    assert refused.value.message == "This memo is no longer being routed for signatures."
    assert snapshot(other) == before


def nothing_kept() -> bool:
    return not Memo.objects.exists() and not Document.objects.exists()


def bad_pdfs(people) -> dict[str, bytes]:
    good = memo_pdf()
    issued = services.document_issue(kind="memo", title="Signed elsewhere", paragraphs=["Text."], language="en")
    signed = stored_bytes(services.document_sign_by(issued, people["supervisor"]))
    Document.objects.filter(pk=issued.pk).delete()
    return {
        "not a PDF": b"GIF89a\x01\x00\x01\x00 a photo named memo.pdf",
        "truncated": good[: len(good) // 2],
        "truncated near the end": good[:-40],
        "encrypted": encrypted_pdf(),
        "with JavaScript": pdf_with_javascript(),
        "with JavaScript behind escaped names": pdf_with_javascript(escaped=True),
        "with JavaScript in a compressed object stream": pdf_with_compressed_javascript(),
        "already signed": signed,
        "empty": b"",
    }


REFUSALS = {
    "not a PDF": "The file is not a PDF.",
    "truncated": "The PDF could not be read; it may be damaged or incomplete.",
    "truncated near the end": "The PDF could not be read; it may be damaged or incomplete.",
    "encrypted": "The PDF is protected by a password; upload it without one.",
    "with JavaScript": "The PDF contains scripts or embedded files, which are not accepted; print it to a new PDF.",
    "with JavaScript behind escaped names": (
        "The PDF contains scripts or embedded files, which are not accepted; print it to a new PDF."
    ),
    "with JavaScript in a compressed object stream": (
        "The PDF contains scripts or embedded files, which are not accepted; print it to a new PDF."
    ),
    "already signed": "The PDF is already signed; upload it unsigned, and the city adds each signature in turn.",
    "empty": "Choose a PDF file.",
}


def test_files_that_are_not_an_open_unsigned_pdf_are_refused_before_anything_is_written(people):
    for case, data in bad_pdfs(people).items():
        with pytest.raises(ValidationFailed) as refused:
            upload(data, signers=[people["supervisor"]], author=people["staff"])
        assert refused.value.errors == {"pdf": REFUSALS[case]}, case
        assert nothing_kept(), case


def test_a_pdf_that_runs_a_script_is_refused_in_the_persons_language(people):
    from django.utils import translation

    with pytest.raises(ValidationFailed) as refused:
        upload(pdf_with_javascript(escaped=True), signers=[people["supervisor"]], author=people["staff"])
    with translation.override("es"):
        assert str(refused.value.translated_errors["pdf"]) == (
            "El PDF contiene scripts o archivos incrustados, que no se aceptan; imprímalo en un PDF nuevo."
        )
    assert nothing_kept()


def test_size_and_page_limits(people, monkeypatch):
    from cityhall.documents import bounds

    monkeypatch.setattr(bounds, "MAX_MEMO_PAGES", 2)
    with pytest.raises(ValidationFailed) as refused:
        upload(memo_pdf(pages=3), signers=[people["supervisor"]], author=people["staff"])
    assert refused.value.errors == {"pdf": "The PDF has more than 200 pages."}
    monkeypatch.setattr(bounds, "MAX_MEMO_BYTES", 500)
    with pytest.raises(ValidationFailed) as refused:
        upload(memo_pdf(), signers=[people["supervisor"]], author=people["staff"])
    assert refused.value.errors == {"pdf": "The PDF is larger than the 10 MB limit."}
    assert nothing_kept()


def test_every_signer_must_be_active_staff_with_a_second_factor(people):
    newcomer = User.objects.create_user("newcomer@example.org", None, role=Role.STAFF, name="New Comer")
    gone = User.objects.create_user("gone@example.org", None, role=Role.STAFF, name="Gone", is_active=False)
    cases = {
        "nobody": ([], "Choose who signs the memo (at most 5 people)."),
        "too many": ([people[k] for k in ("staff", "crew", "crewmate", "supervisor", "admin", "agent")],
                     "Choose who signs the memo (at most 5 people)."),
        "twice": ([people["supervisor"], people["supervisor"]], "Each person signs a memo once: choose someone else."),
        "a resident": ([people["supervisor"], people["resident"]], "Every signer must be active city staff."),
        "inactive": ([gone], "Every signer must be active city staff."),
        "no second factor": ([newcomer], "Every signer must have a second factor (an authenticator app or a passkey): "
                             "their signing certificate is issued only to staff who have one."),
    }  # fmt: skip
    for case, (signers, message) in cases.items():
        with pytest.raises(ValidationFailed) as refused:
            upload(memo_pdf(), signers=signers, author=people["staff"])
        assert refused.value.errors == {"signers": message}, case
        assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        upload(memo_pdf(), signers=[people["supervisor"]], author=people["resident"])
    assert refused.value.code == "forbidden"
    assert nothing_kept()


def test_every_problem_is_reported_at_once_in_the_persons_language(people):
    from django.utils import translation

    with pytest.raises(ValidationFailed) as refused:
        upload(b"not a pdf", signers=[], author=people["staff"], title=" ")
    assert set(refused.value.errors) == {"title", "pdf", "signers"}
    with translation.override("es"):
        assert str(refused.value.translated_errors["pdf"]) == "El archivo no es un PDF."


def test_a_signer_who_lost_their_second_factor_since_the_upload_is_refused_and_nothing_changes(routed, people):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=people["supervisor"]).delete()
    before = snapshot(routed)
    with pytest.raises(DomainError) as refused:
        memos.memo_sign(routed.document, people["supervisor"])
    assert "second factor" in refused.value.message
    assert snapshot(routed) == before
