"""From readings to requests: each rule's condition per device, one open request per device and condition.

Called with the device's row locked (by the ingest, or the offline sweep), so the alarm rows of a device
are written one message at a time and a condition can never open two requests.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, translation

from cityhall.core.errors import DomainError
from cityhall.requests import events
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.services import (
    Change,
    ClientInfo,
    Location,
    service_request_submit,
    service_request_transition,
)
from cityhall.requests.workflow import OPEN, Action, Resolution, Role

from ..kinds import measure_of
from ..models import Alarm, Comparison, Device, Rule
from ..senml import Reading

log = logging.getLogger(__name__)


def device_actor(device: Device) -> events.Actor:
    """The application acting for a device: what the timeline shows as the author."""
    return events.Actor(user=None, roles=frozenset({Role.SYSTEM}), label=f"device {device.device_id}")


def evaluate(device: Device, readings: list[Reading]) -> None:
    """Run the device's rules over these readings, oldest first (the caller holds the device's row lock)."""
    rules = list(Rule.objects.filter(kind=device.kind, active=True))
    offline = Alarm.objects.filter(device=device, condition=Alarm.OFFLINE).select_related("service_request").first()
    if offline is not None and offline.service_request_id is not None and readings:
        _clear(device, offline, f"{device.device_id} is sending again.", max(r.at for r in readings))
    for rule in rules:
        mine = sorted((r for r in readings if r.name == rule.measure), key=lambda r: r.at)
        if not mine:
            continue
        alarm, _created = Alarm.objects.select_related("service_request").get_or_create(
            device=device, condition=f"rule-{rule.pk}"
        )
        for reading in mine:
            _step(device, rule, alarm, reading)
        alarm.save()


def _step(device: Device, rule: Rule, alarm: Alarm, reading: Reading) -> None:
    breach = reading.value > rule.threshold if rule.comparison == Comparison.ABOVE else reading.value < rule.threshold
    back = (
        reading.value <= rule.threshold - rule.hysteresis
        if rule.comparison == Comparison.ABOVE
        else reading.value >= rule.threshold + rule.hysteresis
    )
    if alarm.service_request is not None and alarm.service_request.status not in OPEN:
        alarm.service_request = None  # staff finished it themselves: a new alarm opens a new request
    said = _words(device, rule, reading)
    if breach:
        if alarm.service_request is not None and not alarm.breaching:
            _note(device, alarm.service_request, f"Alarm again: {said}.")
        alarm.breach_since = alarm.breach_since or reading.at
        alarm.breaching, alarm.clear_since = True, None
        held = reading.at - alarm.breach_since >= timedelta(seconds=rule.for_seconds)
        if alarm.service_request is None and held and not _quiet(rule, device, reading.at):
            alarm.service_request = _open(device, f"{rule.name}: {said}.", rule.answers)
        return
    alarm.breaching, alarm.breach_since = False, None
    if not back:
        alarm.clear_since = None  # inside the hysteresis band: neither alarm nor clear
        return
    alarm.clear_since = alarm.clear_since or reading.at
    if alarm.service_request is not None and reading.at - alarm.clear_since >= timedelta(
        seconds=rule.clear_after_seconds
    ):
        _clear(device, alarm, f"Back to normal: {said}.", reading.at, save=False)


def _words(device: Device, rule: Rule, reading: Reading) -> str:
    measure = measure_of(device.kind, rule.measure)
    label, unit = (measure.label, measure.unit) if measure else (rule.measure, "")
    return f"{label} {reading.value:g} {unit} at {_city_time(device, reading.at)}".replace("  ", " ")


def _city_time(device: Device, moment: datetime) -> str:
    """A moment on the city's clock, "9:00 AM on June 1, 2026", as its pages show it. The words are stored
    once, in English, and residents read them: an ISO time in UTC was a moment nobody keeps, and the public
    pages' phone-number rule took its "2026-06-01 16" for a number and hid it."""
    local = moment.astimezone(ZoneInfo(device.service.jurisdiction.timezone))
    with translation.override("en"):
        return f"{formats.time_format(local, 'TIME_FORMAT')} on {formats.date_format(local, 'DATE_FORMAT')}"


def _quiet(rule: Rule, device: Device, at: datetime) -> bool:
    """Whether `at` falls in the rule's quiet hours, in the city's time (a span may cross midnight)."""
    if rule.quiet_start is None or rule.quiet_end is None:
        return False
    local: time = at.astimezone(ZoneInfo(device.service.jurisdiction.timezone)).time()
    start, end = rule.quiet_start, rule.quiet_end
    return start <= local < end if start <= end else local >= start or local < end


def _open(device: Device, description: str, answers: dict[str, Any] | None = None) -> ServiceRequest | None:
    try:
        return service_request_submit(
            service=device.service,
            location=Location(lat=device.lat, lng=device.lng, description=f"Device {device.device_id}"),
            description=description,
            attributes=answers or {},
            channel=Channel.DEVICE,
            client=ClientInfo(device_id=device.device_id),
        )
    except DomainError:
        # The service refuses anonymous reports, or the device stands outside the city: the admin must fix it.
        log.exception("Device %s could not open a request", device.device_id)
        return None


def _note(device: Device, service_request: ServiceRequest, note: str) -> None:
    service_request_transition(
        service_request=service_request,
        action=Action.NOTE,
        actor=device_actor(device),
        change=Change(internal_note=note),
    )


def _clear(device: Device, alarm: Alarm, note: str, at: datetime, *, save: bool = True) -> None:
    """Resolve the alarm's request with the reading as its note, and close it: no resident confirms a device's."""
    service_request = alarm.service_request
    alarm.service_request, alarm.clear_since = None, None
    if save:
        alarm.save()
    if service_request is None or service_request.status not in OPEN:
        return
    actor = device_actor(device)
    try:
        service_request_transition(
            service_request=service_request,
            action=Action.RESOLVE,
            actor=actor,
            change=Change(resolution=Resolution.FIXED, public_note=note),
        )
        service_request_transition(service_request=service_request, action=Action.CLOSE, actor=actor)
    except DomainError:
        log.exception("Device %s could not resolve request %s", device.device_id, service_request.public_id)


def raise_offline(device: Device, now: datetime) -> bool:
    """Open the device's "device offline" request unless one is open; True when one was opened."""
    alarm, _created = Alarm.objects.select_related("service_request").get_or_create(
        device=device, condition=Alarm.OFFLINE
    )
    if alarm.service_request is not None and alarm.service_request.status in OPEN:
        return False
    since = device.last_seen_at or device.created_at
    alarm.service_request = _open(
        device, f"Device offline: {device.device_id} has sent nothing since {_city_time(device, since)}."
    )
    alarm.save()
    return alarm.service_request is not None
