"""Every write to digital services and applications: validate everything first, then one transaction.

`forms`: publishing a form and applying (start, save, submit). `review`: the approval workflow
(a step decided, the applicant asked and answering, withdrawal, expiry, notes). `decisions`: the
signed decision document. `paper`: a paper application keyed in by staff. `steps`: the review steps'
creation, opening and due dates.
"""

from .decisions import application_decision_document_issue, applications_missing_documents_issue
from .forms import (
    Upload,
    application_save,
    application_start,
    application_submit,
    form_publish,
    locator,
    submission_errors,
)
from .paper import PAPER_SCAN, application_start_on_paper
from .review import (
    application_expire,
    application_note,
    application_respond,
    application_step_decide,
    application_withdraw,
    applications_expire,
)

__all__ = [
    "PAPER_SCAN",
    "Upload",
    "application_decision_document_issue",
    "application_expire",
    "application_note",
    "application_respond",
    "application_save",
    "application_start",
    "application_start_on_paper",
    "application_step_decide",
    "application_submit",
    "application_withdraw",
    "applications_expire",
    "applications_missing_documents_issue",
    "form_publish",
    "locator",
    "submission_errors",
]
