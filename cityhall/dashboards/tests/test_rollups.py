"""Rollups equal a direct count, however requests came and went; rebuild gives the same numbers."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from cityhall.core import clock
from cityhall.core.errors import DomainError
from cityhall.dashboards.models import Rollup
from cityhall.dashboards.services import catch_up
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Change, CsvExport, load_mapping, service_requests_import
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from cityhall.requests.tests.test_import import OTHER_FILE, OTHER_MAPPING
from cityhall.requests.workflow import Action, Resolution

from .direct import by_month, direct_counts, stored_counts

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
# A Monday two days before a month ends: days straddle midnight in UTC, not here, and stories run
# into the next month, so requests are received in one month and closed, answered or rated in the next.
START = datetime(2026, 3, 30, 7, 0, tzinfo=LA)

SERVICES = ["potholes", "graffiti-public-property"]
PLACES = [CITY_HALL, OCEAN_PARK]
CHANNELS = ["web", "phone"]

# One step of the story: (what, which request or catalogue choice, hours later).
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["submit", "assign", "start", "resolve", "duplicate", "confirm", "close", "reopen", "rate", "comment"]
        ),
        st.integers(0, 7),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=18,
)


def _take(step: str, choice: int, people, service, requests: list[ServiceRequest]) -> None:
    if step == "submit":
        requests.append(
            submit(service(SERVICES[choice % 2]), at=PLACES[choice // 2 % 2], channel=CHANNELS[choice // 4 % 2])
        )
        return
    if not requests:
        return
    request = ServiceRequest.objects.get(pk=requests[choice % len(requests)].pk)
    who = {
        "assign": ("supervisor", Action.ASSIGN, {"assignee": people["crew"]}),
        "start": ("crew", Action.START, {}),
        "resolve": ("crew", Action.RESOLVE, {"resolution": Resolution.NO_ACTION, "reason": "Nothing there."}),
        "duplicate": ("agent", Action.RESOLVE, {"resolution": Resolution.DUPLICATE, "duplicate_of": requests[0]}),
        "close": ("supervisor", Action.CLOSE, {}),
        "reopen": ("agent", Action.REOPEN, {"reason": "Still there."}),
        "comment": ("agent", Action.COMMENT, {"public_note": "We are on it."}),
    }
    if step == "confirm":
        actor = access.actor_for(None, request, token=request.tracking_token)
        _try(lambda: services.service_request_transition(service_request=request, action=Action.CONFIRM, actor=actor))
    elif step == "rate":
        actor = access.actor_for(None, request, token=request.tracking_token)
        _try(lambda: services.service_request_feedback(service_request=request, actor=actor, rating=choice % 5 + 1))
    else:
        person, action, change = who[step]
        actor = access.actor_for(people[person], request)
        _try(
            lambda: services.service_request_transition(
                service_request=request, action=action, actor=actor, change=Change(**change)
            )
        )


def _try(write) -> None:
    """Steps that the workflow refuses in the request's current state are simply skipped."""
    with contextlib.suppress(DomainError):
        write()


def _import_history() -> None:
    export = CsvExport(OTHER_FILE, delimiter=";")
    service_requests_import(jurisdiction=_city(), rows=export.rows(), mapping=load_mapping(OTHER_MAPPING))


def _city():
    from cityhall.catalogue.models import Jurisdiction

    return Jurisdiction.objects.get(jurisdiction_id="smgov.net")


def assert_rollups_match_a_direct_count() -> None:
    direct = direct_counts()
    assert stored_counts() == direct
    assert stored_counts(monthly=True) == by_month(direct)


@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(story=steps, with_import=st.booleans())
def test_rollups_equal_a_direct_count_after_any_mix_of_changes(
    story, with_import, people, service, django_capture_on_commit_callbacks
):
    sid = transaction.savepoint()
    try:
        requests: list[ServiceRequest] = []
        moment = START
        for step, choice, hours in story:
            moment += timedelta(hours=hours)
            with clock.travel(moment), django_capture_on_commit_callbacks(execute=True):
                _take(step, choice, people, service, requests)
        if with_import:
            _import_history()
            catch_up()  # imports send no commit signal: the periodic catch-up counts them
        for status in ServiceRequest.objects.values_list("status", flat=True).distinct():
            event(f"a request ends {status}")  # --hypothesis-show-statistics: the mix reaches every state
        assert_rollups_match_a_direct_count()
        before = stored_counts(), stored_counts(monthly=True)
        call_command("dashboards", "rebuild", stdout=io.StringIO())
        assert (stored_counts(), stored_counts(monthly=True)) == before
    finally:
        transaction.savepoint_rollback(sid)


def test_rebuild_counts_imported_history_like_a_direct_count(santa_monica):
    _import_history()
    out = io.StringIO()
    call_command("dashboards", "rebuild", stdout=out)
    assert out.getvalue().startswith("Rollups rebuilt from ")
    assert Rollup.objects.exists()
    assert_rollups_match_a_direct_count()
