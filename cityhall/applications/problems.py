"""The applications domain's fixed error messages: each a stable code and its words, kept once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    NOT_OFFERED = "not_offered", _("This service is not offered online at the moment.")
    NOT_DRAFT = "not_draft", _("This application was already submitted; it can no longer be changed.")
    SIGNER_NAME = "signer_name", _("Type your full name to sign.")
    CONSENT = "consent", _("Tick the box to agree to sign electronically.")
    CHANGED = "changed", _("Your application changed since you reviewed it. Review it again, then sign.")
    TOO_MANY_FILES = "too_many_files", _("This application has as many documents as it may hold.")
    NOT_A_FILE_FIELD = "not_a_file_field", _("This question does not take files.")
