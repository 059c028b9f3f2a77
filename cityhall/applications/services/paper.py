"""Paper to digital: a staff member keys in an application a resident made on the paper form.

The case is digital from then on: the same form version, answers judged by the same fields, the same
review steps. What differs is recorded: the channel is "paper", the scan of the signed paper form is
attached (checked like any upload) and who keyed it in is kept (`keyed_by`). The keyer fills in the
draft through the resident's own pages (`access.application_for_filler`) and confirms the handwritten
signature when submitting (`consent.consent_for`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.accounts.services import account_for_applicant, applicant_errors
from cityhall.core import clock
from cityhall.core.errors import ValidationFailed

from ..documents import DocumentRejected, check_document
from ..events import record
from ..models import Application, ApplicationEvent, Channel, DigitalService
from ..problems import Problem
from .forms import Upload, application_start, file_store

# The scan is kept under this key: no form field has it (keys start with a letter), so no answer can name it.
PAPER_SCAN = "_paper_scan"


def application_start_on_paper(
    service: DigitalService,
    *,
    applicant_email: str,
    applicant_name: str,
    keyed_by: User,
    scan: Upload | None,
    language: str = "en",
) -> Application:
    """A draft on the applicant's account (found by email, or made), channel paper, with the scan attached.

    Every field is checked before anything is written: a bad scan makes no account either.
    """
    errors: dict[str, Any] = {}
    checked = None
    if scan is None:
        errors["scan"] = Problem.PAPER_SCAN
    else:
        try:
            checked = check_document(scan.stream, scan.name)
        except DocumentRejected as rejected:
            errors["scan"] = rejected.message
    errors |= applicant_errors(email=applicant_email, name=applicant_name)
    if errors or checked is None:
        raise ValidationFailed(errors)
    with transaction.atomic():
        applicant = account_for_applicant(email=applicant_email, name=applicant_name)
        application = application_start(
            service, applicant=applicant, channel=Channel.PAPER, language=language, keyed_by=keyed_by
        )
        now = clock.now()
        file_store(application, PAPER_SCAN, checked, now)
        record(application, ApplicationEvent.Kind.FILE_ADDED, actor=keyed_by, at=now)
    return application
