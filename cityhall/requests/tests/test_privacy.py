"""Claiming anonymous requests, erasing a reporter, and the retention period: the request side of privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.http import HttpRequest, HttpResponse

from cityhall.core import clock
from cityhall.requests import device_reports
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.services import (
    Contact,
    claimable_requests,
    service_request_support,
    service_requests_anonymise_expired,
    service_requests_anonymise_reporter,
    service_requests_claim,
)
from cityhall.requests.tests.builders import put_in_status, submit
from cityhall.requests.workflow import Status

pytestmark = pytest.mark.django_db

CLOSED_AT = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


def anonymous(service, email: str = "", phone: str = "", name: str = "") -> ServiceRequest:
    return submit(service("potholes"), contact=Contact(name=name, email=email, phone=phone))


def browser_holding(pairs: list[tuple[str, str]]) -> HttpRequest:
    """A request whose browser carries the cookie the resident app writes."""
    response = HttpResponse()
    device_reports.write_device_reports(response, pairs)
    request = HttpRequest()
    request.COOKIES[device_reports.COOKIE_NAME] = response.cookies[device_reports.COOKIE_NAME].value
    return request


# The device cookie


def test_the_device_cookie_reads_back_what_was_written_and_nothing_when_forged():
    browser = browser_holding([("12345678", "token-a"), ("23456789", "token-b")])
    assert device_reports.read_device_reports(browser) == [("12345678", "token-a"), ("23456789", "token-b")]

    forged = HttpRequest()
    forged.COOKIES[device_reports.COOKIE_NAME] = browser.COOKIES[device_reports.COOKIE_NAME][:-2] + "xx"
    assert device_reports.read_device_reports(forged) == []
    assert device_reports.read_device_reports(HttpRequest()) == []


def test_remembering_a_report_keeps_the_newest_and_does_not_repeat_one():
    browser = browser_holding([(str(10_000_000 + n), f"t{n}") for n in range(device_reports.MAX_REPORTS)])
    response = HttpResponse()
    device_reports.remember_device_report(browser, response, public_id="99999999", tracking_token="new")
    again = HttpRequest()
    again.COOKIES[device_reports.COOKIE_NAME] = response.cookies[device_reports.COOKIE_NAME].value
    held = device_reports.read_device_reports(again)
    assert len(held) == device_reports.MAX_REPORTS
    assert held[-1] == ("99999999", "new") and ("10000000", "t0") not in held
    assert response.cookies[device_reports.COOKIE_NAME]["httponly"] is True


# Claiming


def test_requests_made_with_a_verified_email_or_on_this_device_can_be_claimed(people, service):
    resident = people["resident"]
    by_email = anonymous(service, email="Resident@Example.org")  # the same address, typed in capitals
    on_device = anonymous(service)
    someone_elses = anonymous(service, email="someone@example.org")
    EmailAddress.objects.create(user=resident, email="unproven@example.org", verified=False)
    unproven = anonymous(service, email="unproven@example.org")

    found = claimable_requests(user=resident, device_reports=[(on_device.public_id, on_device.tracking_token)])

    assert {request.pk for request in found} == {by_email.pk, on_device.pk}
    assert someone_elses not in found and unproven not in found


def test_a_wrong_tracking_token_claims_nothing(people, service):
    on_device = anonymous(service)
    guessed = [(on_device.public_id, "not-the-token")]
    assert claimable_requests(user=people["resident"], device_reports=guessed) == []
    assert service_requests_claim(user=people["resident"], device_reports=guessed) == []
    on_device.refresh_from_db()
    assert on_device.reporter is None


def test_claiming_links_the_requests_once_and_notes_it_on_their_timelines(people, service):
    resident = people["resident"]
    by_email = anonymous(service, email="resident@example.org")
    on_device = anonymous(service)
    held = [(on_device.public_id, on_device.tracking_token)]

    claimed = service_requests_claim(user=resident, device_reports=held)

    assert {request.pk for request in claimed} == {by_email.pk, on_device.pk}
    assert set(ServiceRequest.objects.filter(reporter=resident)) == {by_email, on_device}
    notes = RequestEvent.objects.filter(action="claim", kind=RequestEvent.Kind.NOTE)
    assert sorted(note.data["matched_by"] for note in notes) == ["device", "email"]
    # Claimed already: nothing left to claim, by this person or anyone holding the same token.
    assert claimable_requests(user=resident, device_reports=held) == []
    assert service_requests_claim(user=people["other_resident"], device_reports=held) == []
    assert notes.count() == 2


# Erasing a reporter


def test_erasing_a_reporter_leaves_the_requests_without_any_personal_detail(people, service):
    resident = people["resident"]
    resident.phone = "310-555-0142"
    resident.save()
    signed_in = submit(
        service("potholes"),
        reporter=resident,
        description="Deep hole outside; call resident@example.org or 310-555-0142.",
        attributes={"SIZE": "M"},
    )
    by_email = anonymous(service, email="resident@example.org", name="Ann Resident", phone="+13105550142")
    neighbours = anonymous(service, email="neighbour@example.org", name="Ned")
    old_token = signed_in.tracking_token
    service_request_support(service_request=neighbours, user=resident)

    erased = service_requests_anonymise_reporter(user=resident)

    assert sorted(erased.request_ids) == sorted([signed_in.pk, by_email.pk])
    for request in ServiceRequest.objects.filter(pk__in=erased.request_ids):
        assert (request.reporter, request.reporter_name, request.reporter_email, request.reporter_phone) == (
            None, "", "", ""
        )  # fmt: skip
        assert "resident@example.org" not in request.description and "555-0142" not in request.description
        note = request.events.get(action="anonymise")
        assert note.kind == RequestEvent.Kind.NOTE and "resident" not in note.internal_note.lower()
    signed_in.refresh_from_db()
    assert signed_in.tracking_token != old_token  # the old device link no longer works
    neighbours.refresh_from_db()
    assert neighbours.reporter_email == "neighbour@example.org"  # someone else's request is untouched
    assert neighbours.support_count == 0 and not neighbours.supports.exists()


# Retention


def closed_request(service, *, email: str = "resident@example.org") -> ServiceRequest:
    with clock.travel(CLOSED_AT - timedelta(days=3)):
        request = anonymous(service, email=email, name="Ann", phone="3105550142")
    with clock.travel(CLOSED_AT):
        return put_in_status(request, Status.CLOSED, department=request.department, assignee=None)


def test_retention_anonymises_closed_requests_once_their_period_has_passed(santa_monica, service):
    santa_monica.anonymise_after_days = 30
    santa_monica.save()
    closed = closed_request(service)
    still_open = anonymous(service, email="open@example.org")

    with clock.travel(CLOSED_AT + timedelta(days=29)):
        assert service_requests_anonymise_expired() == []
    closed.refresh_from_db()
    assert closed.reporter_email == "resident@example.org"

    with clock.travel(CLOSED_AT + timedelta(days=31)):
        assert service_requests_anonymise_expired() == [closed.pk]
        assert service_requests_anonymise_expired() == []  # idempotent: nothing personal is left

    closed.refresh_from_db()
    assert (closed.reporter_name, closed.reporter_email, closed.reporter_phone) == ("", "", "")
    assert closed.events.filter(action="anonymise", data__reason="retention").count() == 1
    still_open.refresh_from_db()
    assert still_open.reporter_email == "open@example.org"


def test_retention_is_off_until_the_city_sets_a_period(santa_monica, service):
    assert santa_monica.anonymise_after_days is None
    closed = closed_request(service)
    with clock.travel(CLOSED_AT + timedelta(days=3650)):
        assert service_requests_anonymise_expired() == []
    closed.refresh_from_db()
    assert closed.reporter_email == "resident@example.org"


def test_retention_works_through_every_batch(santa_monica, service):
    santa_monica.anonymise_after_days = 1
    santa_monica.save()
    closed = [closed_request(service, email=f"r{n}@example.org") for n in range(3)]
    with clock.travel(CLOSED_AT + timedelta(days=2)):
        done = service_requests_anonymise_expired(batch_size=2)
    assert sorted(done) == sorted(request.pk for request in closed)
    assert not ServiceRequest.objects.filter(pk__in=done).exclude(reporter_email="").exists()
