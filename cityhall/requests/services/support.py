"""'Me too': a resident adds support to an open request instead of filing a duplicate."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.core.contact import is_email
from cityhall.core.errors import TransitionRefused, ValidationFailed

from .. import events
from ..models import RequestEvent, ServiceRequest, Support
from ..workflow import Action, Role, Status, may


def service_request_support(*, service_request: ServiceRequest, user: User | None = None, email: str = "") -> bool:
    """Count a supporter once; True if they were new. They follow the request and hear its outcome."""
    email = email.strip().lower()
    if user is None and not email:
        raise ValidationFailed({"email": "Sign in or give an email address so we can tell you the outcome."})
    if user is None and not is_email(email):
        raise ValidationFailed({"email": "Enter a valid email address."})
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if not may(Status(locked.status), Action.SUPPORT, {Role.PUBLIC}):
            raise TransitionRefused("This request is already resolved; report the problem again if it is back.")
        if (user is not None and user.pk == locked.reporter_id) or (email and email == locked.reporter_email.lower()):
            return False  # the reporter already follows it
        existing = locked.supports.filter(user=user) if user is not None else locked.supports.filter(email=email)
        if existing.exists():
            return False
        now = clock.now()
        Support.objects.create(request=locked, user=user, email="" if user else email, created_at=now)
        ServiceRequest.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1, updated_at=now)
        events.record(
            locked,
            events.Actor(user=user, roles=frozenset({Role.PUBLIC})),
            events.EventDraft(
                kind=RequestEvent.Kind.SUPPORTED,
                action=Action.SUPPORT.value,
                public_note="Another resident reported this too.",
            ),
            at=now,
        )
    service_request.refresh_from_db()
    return True
