"""service_request_feedback's rules, called directly: who, when, once, and what it records."""

from __future__ import annotations

import pytest

from cityhall.core.errors import TransitionRefused, ValidationFailed
from cityhall.requests import access
from cityhall.requests.models import Feedback
from cityhall.requests.services import service_request_feedback
from cityhall.requests.tests.builders import submit

from .track_helpers import resolved_graffiti

pytestmark = pytest.mark.django_db


@pytest.fixture
def graffiti(service, people):
    return resolved_graffiti(service("graffiti-public-property"), people["staff"])


def requester(request):
    return access.actor_for(None, request, token=request.tracking_token)


@pytest.mark.parametrize("rating", [0, 6, True, "5", 4.0])
def test_only_a_whole_number_from_one_to_five(graffiti, rating):
    with pytest.raises(ValidationFailed) as refused:
        service_request_feedback(service_request=graffiti, actor=requester(graffiti), rating=rating)
    assert "rating" in refused.value.errors and not Feedback.objects.exists()


def test_a_comment_over_the_limit_is_refused(graffiti):
    with pytest.raises(ValidationFailed):
        service_request_feedback(service_request=graffiti, actor=requester(graffiti), rating=3, comment="x" * 2001)
    assert not Feedback.objects.exists()


def test_staff_and_strangers_cannot_rate(graffiti, people):
    for actor in (access.actor_for(people["staff"], graffiti), access.actor_for(None, graffiti, token="nope")):
        with pytest.raises(TransitionRefused) as refused:
            service_request_feedback(service_request=graffiti, actor=actor, rating=5)
        assert refused.value.code == "forbidden"
    assert not Feedback.objects.exists()


def test_not_before_the_city_resolved_it(service):
    request = submit(service("potholes"))
    with pytest.raises(TransitionRefused) as refused:
        service_request_feedback(service_request=request, actor=requester(request), rating=5)
    assert refused.value.code == "not_resolved" and not Feedback.objects.exists()


def test_once_per_request_with_an_internal_timeline_entry(graffiti):
    events_before = graffiti.events.count()
    feedback = service_request_feedback(
        service_request=graffiti, actor=requester(graffiti), rating=2, comment="  Slow.  "
    )
    assert (feedback.rating, feedback.comment, feedback.confirmed_fixed) == (2, "Slow.", None)
    event = graffiti.events.last()
    assert graffiti.events.count() == events_before + 1
    assert (event.kind, event.action, event.actor_role) == ("note", "feedback", "requester")
    assert event.internal_note == "Resident feedback: 2/5.\nSlow." and event.public_note == ""
    with pytest.raises(TransitionRefused) as refused:
        service_request_feedback(service_request=graffiti, actor=requester(graffiti), rating=5)
    assert refused.value.code == "already" and Feedback.objects.get().rating == 2
