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
