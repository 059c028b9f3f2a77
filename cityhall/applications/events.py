"""The application's timeline: one row per change, written inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from cityhall.accounts.models import User

from .models import Application, ApplicationEvent


def record(
    application: Application,
    kind: ApplicationEvent.Kind,
    *,
    actor: User | None,
    at: datetime,
    status_from: str = "",
    status_to: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        at=at,
        status_from=status_from,
        status_to=status_to,
        channel=application.channel,
    )
