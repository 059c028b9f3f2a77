"""One request's parts beyond its row, for the staff workspace and the residents' tracking page:
its photos, the duplicates merged into it, the reporter's feedback."""

from __future__ import annotations

from ..models import Attachment, Feedback, ServiceRequest


def photos_of(service_request: ServiceRequest) -> list[Attachment]:
    """Every photo of a request, internal ones too: callers show them to staff or filter with access."""
    return list(service_request.attachments.all())


def duplicates_of(service_request: ServiceRequest) -> list[ServiceRequest]:
    """The requests merged into this one as its duplicates, with their category."""
    return list(service_request.duplicates.select_related("service"))


def feedback_on(service_request: ServiceRequest) -> Feedback | None:
    """The reporter's "How did we do?" answer, if they gave one."""
    return Feedback.objects.filter(request=service_request).first()
