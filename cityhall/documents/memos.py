"""Internal memos: a PDF a member of staff uploads, signed by the people they name, in turn, then sealed.

The services of the documents app for memos (docs/documents.md, "Internal memos"). Each checks everything
first and writes in one transaction, with a `MemoEvent` for every change; a refusal writes nothing.
The PDF is kept as uploaded: each signer's signature (`document_sign_by`) and, after the last, the
city's seal (`document_seal`) are appended to it as incremental revisions. Who may do what now is
`memo_actions`, which the pages render and the services enforce through `memo_refusal`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Literal, Protocol

from allauth.mfa.utils import is_mfa_enabled
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.core.errors import DomainError, Message, ValidationFailed
from cityhall.core.stored_files import stored_files_kept_only_on_success

from . import bounds
from .models import Document, Memo, MemoEvent, MemoSigner
from .pdf_check import PdfRefused, check_pdf
from .problems import Problem
from .services import _number, document_seal, document_sign_by, document_withdraw
from .stored_files import store

Action = Literal["sign", "decline", "withdraw"]
ACTIONS: tuple[Action, ...] = ("sign", "decline", "withdraw")
KIND = "memo"
# Reasons the city's public record gives (/verify/<number>), stored in English and shown in the reader's language;
# the people's own words stay on the memo's timeline.
DECLINED_RECORD = gettext_noop("Declined by a signer")
WITHDRAWN_RECORD = gettext_noop("Withdrawn by its author")


class Readable(Protocol):
    """An upload being read: a file, a Django upload, a stream."""

    def read(self, size: int = ..., /) -> bytes: ...


def _file_name(name: str) -> str:
    stem = unicodedata.normalize("NFKC", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).rsplit(".", 1)[0]
    stem = re.sub(r"[^\w .()-]+", "", stem).strip(" .")[: bounds.MAX_FILE_NAME - 4] or "memo"
    return f"{stem}.pdf"


def _read_pdf(pdf: Readable) -> tuple[bytes, int, Message | None]:
    data = pdf.read(bounds.MAX_MEMO_BYTES + 1)
    if not data:
        return data, 0, Problem.PDF_EMPTY
    if len(data) > bounds.MAX_MEMO_BYTES:
        return data, 0, Problem.PDF_TOO_LARGE
    try:
        checked = check_pdf(data, max_pages=bounds.MAX_MEMO_PAGES)
    except PdfRefused as refused:
        return data, 0, refused.problem
    if checked.signed:
        return data, 0, Problem.PDF_SIGNED
    return data, checked.pages, None


def _signers_problem(signers: Sequence[User]) -> Message | None:
    if not signers or len(signers) > bounds.MAX_MEMO_SIGNERS:
        return Problem.NO_SIGNERS
    if len({person.pk for person in signers}) != len(signers):
        return Problem.SIGNER_TWICE
    if any(not person.is_active or not person.is_city_staff for person in signers):
        return Problem.SIGNER_NOT_STAFF
    if any(not is_mfa_enabled(person) for person in signers):
        return Problem.SIGNER_NO_SECOND_FACTOR
    return None


def memo_upload(pdf: Readable, *, name: str, title: str, signers: Sequence[User], author: User) -> Memo:
    """Keeps a staff member's PDF as a memo under a new number, routed to `signers` in this order.

    Refused, with every problem by field (`title`, `pdf`, `signers`), before anything is written.
    """
    if not author.is_active or not author.is_city_staff:
        raise DomainError(Problem.AUTHOR_NOT_STAFF, code="forbidden")
    errors: dict[str, Message] = {}
    title = title.strip()
    if not title or len(title) > Document._meta.get_field("title").max_length:  # type: ignore[operator]
        errors["title"] = Problem.TITLE
    data, pages, pdf_problem = _read_pdf(pdf)
    if pdf_problem is not None:
        errors["pdf"] = pdf_problem
    if (signers_problem := _signers_problem(signers)) is not None:
        errors["signers"] = signers_problem
    if errors:
        raise ValidationFailed(errors)
    number = _number()
    now = clock.now()
    with stored_files_kept_only_on_success(), transaction.atomic():
        document = Document.objects.create(
            number=number,
            kind=KIND,
            title=title,
            language=translation.get_language() or "en",
            file_name=store(number, data),
            sha256=hashlib.sha256(data).hexdigest(),
            issued_at=now,
            issued_by=author,
        )
        memo = Memo.objects.create(
            document=document, author=author, uploaded_name=_file_name(name), pages=pages, created_at=now
        )
        MemoSigner.objects.bulk_create(
            MemoSigner(memo=memo, position=position, person=person) for position, person in enumerate(signers, start=1)
        )
        MemoEvent.objects.create(memo=memo, kind=MemoEvent.Kind.UPLOADED, person=author, at=now)
    return memo


def _current_signer(memo: Memo) -> MemoSigner | None:
    return MemoSigner.objects.filter(memo=memo, signed_at__isnull=True).order_by("position").first()


def memo_refusal(memo: Memo, person: User, action: Action) -> DomainError | None:
    """Why `person` may not take `action` on the memo now (None: they may)."""
    if memo.status != Memo.Status.ROUTING:
        return DomainError(Problem.MEMO_CLOSED, code="conflict")
    if action == "withdraw":
        return None if memo.author_id == person.pk else DomainError(Problem.NOT_AUTHOR, code="forbidden")
    current = _current_signer(memo)
    if current is None or current.person_id != person.pk:
        return DomainError(Problem.NOT_YOUR_TURN, code="forbidden")
    return None


def memo_actions(memo: Memo, person: User) -> frozenset[Action]:
    """What `person` may do to the memo now: the buttons its page shows."""
    return frozenset(action for action in ACTIONS if memo_refusal(memo, person, action) is None)


def _locked(document: Document, person: User, action: Action) -> Memo:
    memo = Memo.objects.select_for_update().select_related("document").get(document=document)
    if (refusal := memo_refusal(memo, person, action)) is not None:
        raise refusal
    return memo


def _reason(reason: str, *, required: bool = True) -> str:
    reason = reason.strip()
    if (required and not reason) or len(reason) > bounds.MAX_REASON:
        raise ValidationFailed({"reason": Problem.REASON})
    return reason


def memo_sign(document: Document, person: User) -> Memo:
    """The signature of the signer whose turn it is; after the last signer, the city's seal."""
    with transaction.atomic():
        memo = _locked(document, person, "sign")
        signed = document_sign_by(memo.document, person)
        now = clock.now()
        MemoSigner.objects.filter(memo=memo, person=person).update(signed_at=now)
        MemoEvent.objects.create(memo=memo, kind=MemoEvent.Kind.SIGNED, person=person, at=now)
        if _current_signer(memo) is None:
            memo.document = document_seal(signed)
            memo.status = Memo.Status.SEALED
            memo.closed_at = sealed_at = clock.now()
            memo.save(update_fields=["status", "closed_at"])
            MemoEvent.objects.create(memo=memo, kind=MemoEvent.Kind.SEALED, at=sealed_at)
        else:
            memo.document = signed
    return memo


# How each way of stopping a memo is recorded: its state, its timeline's entry, and the public record's reason.
STOPS: dict[Action, tuple[Memo.Status, MemoEvent.Kind, str]] = {
    "decline": (Memo.Status.DECLINED, MemoEvent.Kind.DECLINED, DECLINED_RECORD),
    "withdraw": (Memo.Status.WITHDRAWN, MemoEvent.Kind.WITHDRAWN, WITHDRAWN_RECORD),
}


def _stop(document: Document, person: User, action: Action, reason: str) -> Memo:
    status, kind, record = STOPS[action]
    with transaction.atomic():
        memo = _locked(document, person, action)
        memo.document = document_withdraw(memo.document, reason=record)
        memo.status = status
        memo.closed_at = now = clock.now()
        memo.save(update_fields=["status", "closed_at"])
        MemoEvent.objects.create(memo=memo, kind=kind, person=person, at=now, reason=reason)
    return memo


def memo_decline(document: Document, person: User, reason: str) -> Memo:
    """The signer whose turn it is declines, saying why: the routing stops and the author reads the reason."""
    return _stop(document, person, "decline", _reason(reason))


def memo_withdraw(document: Document, person: User, reason: str = "") -> Memo:
    """The author takes the memo back before it is sealed; the reason, if given, is kept on its timeline."""
    return _stop(document, person, "withdraw", _reason(reason, required=False))
