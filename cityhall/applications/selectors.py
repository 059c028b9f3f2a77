"""Every read other code needs of digital services and applications, by name."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from cityhall.accounts.models import User
from cityhall.core.errors import NotFound

from .models import Application, ApplicationEvent, DigitalService, FormVersion

MAX_LISTED = 100


def services_offered() -> QuerySet[DigitalService]:
    """The services a resident may apply for: active, with a published form."""
    published = FormVersion.objects.filter(service=OuterRef("pk"))
    return DigitalService.objects.filter(is_active=True).filter(Exists(published))


def service_offered(code: str) -> DigitalService:
    service = services_offered().filter(code=code).first()
    if service is None:
        raise NotFound()
    return service


def applications_of(user: User, *, limit: int = MAX_LISTED) -> list[Application]:
    rows = Application.objects.filter(applicant=user).select_related("service").order_by("-updated_at")
    return list(rows[:limit])


def events_of(application: Application) -> list[ApplicationEvent]:
    return list(ApplicationEvent.objects.filter(application=application).order_by("at", "pk"))


def latest_version(service: DigitalService) -> FormVersion | None:
    return FormVersion.objects.filter(service=service).order_by("-number").first()
