"""The requester's feedback once the city said the work was done: a 1–5 rating and a comment."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cityhall.core import clock
from cityhall.core.errors import TransitionRefused, ValidationFailed

from .. import bounds, events
from ..available import action_refusal
from ..models import Feedback, RequestEvent, ServiceRequest
from ..workflow import Action, Status


def service_request_feedback(
    *, service_request: ServiceRequest, actor: events.Actor, rating: int, comment: str = ""
) -> Feedback:
    """Store the requester's rating and comment, once per request, after it was resolved at least once.

    Raises ValidationFailed (rating not 1–5, comment too long) or TransitionRefused (not the
    requester — code "forbidden"; never resolved — "not_resolved"; already given — "already").
    Nothing is changed then. The staff timeline gets an internal event, so feedback reaches the
    department without ever being public or sent to anyone.
    """
    comment = comment.strip()
    errors: dict[str, str] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = "Choose a rating from 1 to 5."
    errors |= bounds.check({"comment": comment})
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
            now = clock.now()
            refused = action_refusal(locked, Action.FEEDBACK, actor, now)
            if refused is not None:
                raise refused
            status = Status(locked.status)
            feedback = Feedback.objects.create(
                request=locked,
                user=actor.user,
                rating=rating,
                comment=comment,
                confirmed_fixed=True if status is Status.CLOSED else (None if status is Status.RESOLVED else False),
                created_at=now,
            )
            note = f"Resident feedback: {rating}/5." + (f"\n{comment}" if comment else "")
            events.record(
                locked,
                actor,
                events.EventDraft(
                    kind=RequestEvent.Kind.NOTE,
                    action=Action.FEEDBACK.value,
                    internal_note=note,
                    data={"rating": rating},
                ),
                at=now,
            )
    except IntegrityError:  # a second submission raced the first past the check: the unique row won
        raise TransitionRefused("Feedback on this request was already given.", code="already") from None
    return feedback
