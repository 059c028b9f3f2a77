"""The applications domain's fixed error messages: each a stable code and its words, kept once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    NOT_OFFERED = "not_offered", _("This service is not offered online at the moment.")
    NOT_DRAFT = "not_draft", _("This application was already submitted; it can no longer be changed.")
    SIGNER_NAME = "signer_name", _("Type your full name to sign.")
    CONSENT = "consent", _("Tick the box to agree to sign electronically.")
    PAPER_CONSENT = "paper_consent", _("Tick the box to confirm the applicant signed the paper form by hand.")
    PAPER_SCAN = "paper_scan", _("Attach the scan of the signed paper form (a PDF or a photo).")
    CHANGED = "changed", _("Your application changed since you reviewed it. Review it again, then sign.")
    TOO_MANY_FILES = "too_many_files", _("This application has as many documents as it may hold.")
    NOT_A_FILE_FIELD = "not_a_file_field", _("This question does not take files.")
    # The approval workflow (workflow.py, available.py):
    FORBIDDEN = "forbidden", _("You may not do this to this application.")
    NOT_NOW = "not_now", _("This application is not at a stage where this can be done.")
    NO_STEP = "no_step", _("Choose the review step you are deciding.")
    STEP_NOT_OPEN = "step_not_open", _("This review step is not open.")
    NOT_YOUR_STEP = "not_your_step", _("This review step belongs to another department or role.")
    NO_SECOND_FACTOR = (
        "no_second_factor",
        _(
            "Set up a second factor (an authenticator app or a passkey) before you decide: your decision "
            "is signed with your own certificate."
        ),
    )
    CONDITIONS = "conditions", _("Write the conditions of the approval, in at most 4,000 characters.")
    REASON = "reason", _("Say why the application is denied, in at most 4,000 characters.")
    QUESTION = "question", _("Write your question to the applicant, in at most 4,000 characters.")
    ANSWER = "answer", _("Write your answer, in at most 4,000 characters.")
    NOTE = "note", _("Write the note, in at most 4,000 characters.")
    NOT_YET_EXPIRED = "not_yet_expired", _("The applicant still has time to answer.")
    TOO_MANY_RESPONSE_FILES = "too_many_response_files", _("Send at most 5 files with one answer.")
