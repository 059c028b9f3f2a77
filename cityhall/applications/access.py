"""The doors to an application: each hands it out to someone allowed to see it, or raises NotFound.

Only the applicant may see their application for now; the staff of the owning department get their
door with the approval workflow. An application a person may not see is one that does not exist.
"""

from __future__ import annotations

from typing import Any

from cityhall.core.errors import NotFound

from .models import Application, ApplicationFile


def application_for_applicant(user: Any, reference: str) -> Application:
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    application = (
        Application.objects.select_related("service", "form_version", "signature")
        .filter(reference=reference, applicant=user)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def file_for_applicant(user: Any, reference: str, file_id: str) -> ApplicationFile:
    application = application_for_applicant(user, reference)
    stored = ApplicationFile.objects.filter(application=application, pk=file_id).first()
    if stored is None:
        raise NotFound()
    return stored
