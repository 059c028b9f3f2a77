"""Why the documents service refuses, once: a code and its words (core/errors.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    UNKNOWN_KIND = "unknown_kind", _("There is no such kind of document.")
    TITLE = "title", _("Give the document a title of at most 200 characters.")
    TOO_LONG = "too_long", _("The document's text is too long.")
    UNPRINTABLE = "unprintable", _("The text holds a character the document cannot print.")
    NOT_STAFF = "not_staff", _("Only active city staff may sign documents.")
    NO_SECOND_FACTOR = (
        "no_second_factor",
        _(
            "Set up a second factor (an authenticator app or a passkey) before you sign: your signing "
            "certificate is issued only to staff who have one."
        ),
    )
    ALREADY_SIGNED = "already_signed", _("You have already signed this document.")
    SEALED = "sealed", _("The city has sealed this document: no one can sign it any more.")
    WITHDRAWN = "withdrawn", _("This document has been withdrawn.")
    REASON = "reason", _("Say why, in at most 500 characters.")
    SEAL_UNAVAILABLE = (
        "seal_unavailable",
        _(
            "The city's seal cannot be reached right now, so nothing was signed. Try again later; "
            "the administrators have been told."
        ),
    )
    # Uploaded PDFs (pdf_check.py) and internal memos (memos.py).
    NOT_PDF = "not_pdf", _("The file is not a PDF.")
    PDF_EMPTY = "pdf_empty", _("Choose a PDF file.")
    PDF_TOO_LARGE = "pdf_too_large", _("The PDF is larger than the 10 MB limit.")
    PDF_UNREADABLE = "pdf_unreadable", _("The PDF could not be read; it may be damaged or incomplete.")
    PDF_ENCRYPTED = "pdf_encrypted", _("The PDF is protected by a password; upload it without one.")
    PDF_ACTIVE_CONTENT = (
        "pdf_active_content",
        _("The PDF contains scripts or embedded files, which are not accepted; print it to a new PDF."),
    )
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages", _("The PDF has more than 200 pages.")
    PDF_SIGNED = (
        "pdf_signed",
        _("The PDF is already signed; upload it unsigned, and the city adds each signature in turn."),
    )
    NO_SIGNERS = "no_signers", _("Choose who signs the memo (at most 5 people).")
    SIGNER_TWICE = "signer_twice", _("Each person signs a memo once: choose someone else.")
    SIGNER_NOT_STAFF = "signer_not_staff", _("Every signer must be active city staff.")
    SIGNER_NO_SECOND_FACTOR = (
        "signer_no_second_factor",
        _(
            "Every signer must have a second factor (an authenticator app or a passkey): their signing "
            "certificate is issued only to staff who have one."
        ),
    )
    AUTHOR_NOT_STAFF = "author_not_staff", _("Only active city staff may route a memo for signatures.")
    NOT_YOUR_TURN = "not_your_turn", _("It is not your turn to sign this memo.")
    NOT_AUTHOR = "not_author", _("Only the memo's author may withdraw it.")
    MEMO_CLOSED = "memo_closed", _("This memo is no longer being routed for signatures.")
