"""Internal memos through the staff pages: the upload form, the memo page and who may do what to a memo."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.documents.models import Document, DocumentSignature, Memo, MemoEvent, MemoSigner
from cityhall.documents.tests.memo_builders import encrypted_pdf, memo_pdf, upload
from tests.softhsm import seal_on_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def routed(people):
    """The clerk (`staff`) routes a memo to the supervisor, then the planner (`other_staff`)."""
    return upload(memo_pdf(), signers=[people["supervisor"], people["other_staff"]], author=people["staff"])


def written(memo: Memo) -> tuple:
    memo.refresh_from_db()
    return (
        memo.status,
        Document.objects.get(pk=memo.document_id).sha256,
        list(MemoSigner.objects.filter(memo=memo).values_list("signed_at", flat=True)),
        MemoEvent.objects.filter(memo=memo).count(),
        DocumentSignature.objects.filter(document_id=memo.document_id).count(),
    )


ACCOUNT = {"author": "staff", "first signer": "supervisor", "second signer": "other_staff", "other staff": "agent",
           "resident": "resident"}  # fmt: skip
# What each person gets: 200 a page, 302 done (or, for the anonymous, sent to sign in), 403 refused, 404 no such memo.
COLUMNS = ["author", "first signer", "second signer", "other staff", "resident", "anonymous"]
MATRIX = {
    #            author first second other resident anonymous
    "view":     (200,   200,  200,   404,  404,     302),
    "download": (200,   200,  200,   404,  404,     404),
    "sign":     (403,   302,  403,   404,  404,     302),
    "decline":  (403,   302,  403,   404,  404,     302),
    "withdraw": (302,   403,  403,   404,  404,     302),
}  # fmt: skip


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("who", COLUMNS)
def test_only_the_author_and_the_signers_see_a_memo_and_each_does_only_their_part(client, people, routed, who, action):
    if who != "anonymous":
        client.force_login(people[ACCOUNT[who]])
    number = routed.document.number
    before = written(routed)
    if action == "view":
        response = client.get(f"/staff/memos/{number}/")
    elif action == "download":
        response = client.get(f"/documents/{number}.pdf")
    else:
        response = client.post(f"/staff/memos/{number}/act", {"action": action, "reason": "Not this week."})

    expected = MATRIX[action][COLUMNS.index(who)]
    assert response.status_code == expected
    if who == "anonymous" and expected == 302:
        assert response["Location"].startswith("/accounts/login/")
    done = expected == 302 and who != "anonymous" and action in ("sign", "decline", "withdraw")
    assert (written(routed) != before) == done
    if expected == 404 and action == "view":
        assert routed.document.title not in response.content.decode()


def post_memo(client, data: bytes, signers, language: str = "en"):
    fields = {f"signer_{place}": person.pk for place, person in enumerate(signers, start=1)}
    pdf = SimpleUploadedFile("rota.pdf", data, content_type="application/pdf")
    return client.post(
        "/staff/memos/new", {"title": "Winter storm overtime rota", "pdf": pdf, **fields}, HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_upload_form_routes_a_memo_and_lists_it_for_its_first_signer(client, people):
    client.force_login(people["staff"])
    form = client.get("/staff/memos/new")
    assert form.status_code == 200
    page = form.content.decode()
    assert people["supervisor"].name in page
    assert people["resident"].name not in page  # only staff with a second factor are offered

    response = post_memo(client, memo_pdf(), [people["supervisor"], people["other_staff"]])

    memo = Memo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/memos/{memo.document.number}/"
    assert [row.person for row in MemoSigner.objects.filter(memo=memo)] == [people["supervisor"], people["other_staff"]]
    client.force_login(people["supervisor"])
    waiting = client.get("/staff/memos/").content.decode()
    assert "Winter storm overtime rota" in waiting
    assert "Nothing is waiting for your signature." not in waiting
    client.force_login(people["other_staff"])
    assert "Nothing is waiting for your signature." in client.get("/staff/memos/").content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_bad_input_is_named_beside_its_field_in_the_persons_language_and_nothing_is_written(client, people, language):
    client.force_login(people["staff"])
    response = post_memo(client, encrypted_pdf(), [people["supervisor"], people["supervisor"]], language)

    assert response.status_code == 400
    page = response.content.decode()
    words = {
        "en": ["Each person signs a memo once: choose someone else.", "Nothing was changed:"],
        "es": ["Cada persona firma un memorando una sola vez: elija a otra persona.", "No se cambió nada:"],
    }[language]
    assert all(word in page for word in words)
    assert 'id="memo_signer_2-error"' in page
    assert 'aria-describedby="memo_signer_2-error"' in page
    assert not Memo.objects.exists() and not Document.objects.exists()

    # The form is fine now; the service finds the PDF encrypted and says so beside the file field.
    response = post_memo(client, encrypted_pdf(), [people["supervisor"]], language)
    assert response.status_code == 400
    message = {
        "en": "The PDF is protected by a password; upload it without one.",
        "es": "El PDF está protegido con una contraseña; súbalo sin ella.",
    }[language]
    assert message in response.content.decode()
    assert 'aria-describedby="memo_pdf-error memo_pdf-help"' in response.content.decode()
    assert not Memo.objects.exists() and not Document.objects.exists()


def test_a_decline_needs_a_reason_and_the_author_reads_it(client, people, routed):
    number = routed.document.number
    client.force_login(people["supervisor"])
    before = written(routed)
    refused = client.post(f"/staff/memos/{number}/act", {"action": "decline", "reason": " "})
    assert refused.status_code == 400
    assert 'aria-describedby="decline-reason-error"' in refused.content.decode()
    assert written(routed) == before

    client.post(f"/staff/memos/{number}/act", {"action": "decline", "reason": "Sunday is not covered."})
    client.force_login(people["staff"])
    page = client.get(f"/staff/memos/{number}/").content.decode()
    assert "Declined" in page
    assert "Sunday is not covered." in page
    assert "Withdraw the memo" not in page


def test_a_seal_whose_token_refuses_the_pin_is_a_message_to_the_last_signer_and_nothing_is_signed(
    client, people, settings, softhsm
):
    memo = upload(memo_pdf(), signers=[people["supervisor"]], author=people["staff"])
    seal_on_token(settings, softhsm, pin="000000")
    before = written(memo)
    client.force_login(people["supervisor"])

    response = client.post(f"/staff/memos/{memo.document.number}/act", {"action": "sign", "reason": ""})

    assert response.status_code == 503
    assert "The city&#x27;s seal cannot be reached right now, so nothing was signed." in response.content.decode()
    assert written(memo) == before  # neither the supervisor's signature nor the seal
