"""Believable open work for the demo: requests in every status, made through the real services.

The clock is moved into the past while each request is made and worked, so timelines, SLAs and
overdue flags look like a real month at the 311 desk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from shapely.geometry import Point

from cityhall.accounts.models import Role, User
from cityhall.catalogue.models import Crew, Department, Jurisdiction, Service, Zone
from cityhall.core import clock
from cityhall.core.geometry import parse_area
from cityhall.requests import services
from cityhall.requests.events import SYSTEM, Actor
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.workflow import Action, Resolution, Status

from .people import ensure_crew

STORIES: dict[str, list[str]] = {
    "graffiti-public-property": [
        "Tags sprayed across the wall by the bus stop.",
        "Black spray paint on the park restroom door.",
    ],
    "graffiti-private-property": [
        "Someone tagged our garage door overnight.",
        "Graffiti on the side of the dry cleaner.",
    ],
    "potholes": [
        "Deep pothole in the right lane, cars are swerving around it.",
        "Pothole by the crosswalk, filling with water.",
    ],
    "streetlights": [
        "Streetlight out for a week, the block is very dark.",
        "Light keeps flickering on and off all night.",
    ],
    "refuse-recycling-pick-up": [
        "Recycling was not picked up on our collection day.",
        "Trash bins on the alley were skipped.",
    ],
    "tree-trimming": ["Low branches hitting people on the sidewalk.", "Large broken branch hanging over the street."],
    "trip-hazards": [
        "Sidewalk lifted by tree roots, an older neighbor tripped.",
        "Cracked slab sticking up two inches.",
    ],
    "broken-parking-meter": ["Meter does not accept cards.", "Meter screen is blank."],
    "leafblowers": ["Gas leaf blowers every morning at 7am.", "Gardeners using gas blowers for hours."],
    "street-signs-markings": ["Stop sign bent and facing the wrong way.", "Crosswalk paint has worn off completely."],
    "barking-dogs": ["Dog barking for hours every afternoon.", "Neighbor's dog barks all night."],
    "other": ["Broken bench at the corner.", "Water fountain in the park is not working."],
}
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "graffiti-public-property": {"SURFACE": "WALL", "OFFENSIVE": "NO"},
    "graffiti-private-property": {"SURFACE": "FENCE"},
    "potholes": {"SIZE": "M", "HAZARDS": ["TRAFFIC"]},
    "streetlights": {"PROBLEM": "OUT"},
    "refuse-recycling-pick-up": {"BINS": ["RECYCLING"]},
    "tree-trimming": {"TREE_PROBLEM": "LOW"},
    "trip-hazards": {"HAZARDS": ["PEDESTRIANS"]},
}
# How far along each demo request gets, and how many of each.
PLAN = [
    ("submitted", 12),
    ("routed", 24),
    ("assigned", 16),
    ("in_progress", 16),
    ("on_hold", 8),
    ("resolved", 12),
    ("closed", 12),
]


def random_point(rng: random.Random, zones: list[Zone]) -> tuple[float, float]:
    area = parse_area(rng.choice(zones).geometry)
    min_x, min_y, max_x, max_y = area.bounds
    while True:
        lng, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if area.contains(Point(lng, lat)):
            return round(lat, 6), round(lng, 6)


TRIAGE_STORIES: dict[str, list[str]] = {
    "trash-illegal-dumping": [
        "Someone dumped a mattress and a sofa in the alley.",
        "Pile of construction debris left on the parkway.",
    ],
    "bikepath-maintenance": ["Sand covering the beach bike path near the pier.", "Broken glass on the bike path."],
    "trees-sidewalk-damage": ["Tree roots have broken the sidewalk in front of no. 1200."],
    "fire-hazards": ["Dry brush piled against the back fence of the empty lot."],
}
STEPS = ["submitted", "routed", "assigned", "in_progress", "on_hold", "resolved", "closed"]
# The most hours the work up to each step can take (the `hours` given to each act below, summed).
WORK_HOURS = [0, 3, 23, 53, 58, 77, 77 + 7 * 24]


@dataclass(frozen=True)
class Cast:
    """Who works the demo requests: the 311 desk, Public Works staff and its crew, and a resident."""

    desk: Actor
    staff: Actor
    crew: Actor
    resident: User
    crew_member: User
    street_crew: Crew
    department: Department


def create_open_work(jurisdiction: Jurisdiction, people: dict[Role, User], *, seed: int = 311) -> int:
    rng = random.Random(seed)
    zones = list(Zone.objects.filter(jurisdiction=jurisdiction))
    stories = STORIES | TRIAGE_STORIES
    catalogue = {s.code: s for s in Service.objects.filter(jurisdiction=jurisdiction, code__in=stories)}
    department = people[Role.STAFF].department
    assert department is not None
    cast = Cast(
        desk=Actor(user=people[Role.AGENT], roles=frozenset({Role.AGENT})),
        staff=Actor(user=people[Role.STAFF], roles=frozenset({Role.STAFF})),
        crew=Actor(user=people[Role.CREW], roles=frozenset({Role.CREW})),
        resident=people[Role.RESIDENT],
        crew_member=people[Role.CREW],
        street_crew=ensure_crew(people[Role.CREW]),
        department=department,
    )
    made = 0
    for target, count in PLAN:
        for _ in range(count):
            # Unrouted requests come from categories with no default department; the rest from Public Works'.
            code = rng.choice(list(TRIAGE_STORIES if target == "submitted" else STORIES))
            # Start far enough back that every step of the work still lies in the past.
            started = clock.now() - timedelta(hours=WORK_HOURS[STEPS.index(target)] + rng.uniform(2, 14 * 24))
            with clock.travel(started):
                request = _report(rng, catalogue[code], zones, cast, stories[code], ANSWERS.get(code, {}))
                _work(rng, request, STEPS.index(target), cast)
            made += 1
    return made


def _report(
    rng: random.Random,
    service: Service,
    zones: list[Zone],
    cast: Cast,
    stories: list[str],
    answers: dict[str, str | list[str]],
) -> ServiceRequest:
    lat, lng = random_point(rng, zones)
    signed_in = rng.random() < 0.2
    return services.service_request_submit(
        service=service,
        location=services.Location(lat=lat, lng=lng),
        description=rng.choice(stories),
        attributes=answers,
        reporter=cast.resident if signed_in else None,
        contact=None if signed_in else services.Contact(email=f"reporter{rng.randint(1000, 9999)}@example.org"),
        channel=rng.choice([Channel.WEB, Channel.WEB, Channel.WEB, Channel.PHONE, Channel.OPEN311]),
    )


def _work(rng: random.Random, service_request: ServiceRequest, step: int, cast: Cast) -> None:
    def act(action: Action, actor: Actor, hours: float, change: services.Change | None = None) -> None:
        clock.advance(timedelta(hours=rng.uniform(hours / 4, hours)))
        services.service_request_transition(service_request=service_request, action=action, actor=actor, change=change)

    if step == 0:
        return
    if service_request.status == Status.SUBMITTED or service_request.department_id != cast.department.pk:
        act(Action.ROUTE, cast.desk, 3, services.Change(department=cast.department))
    if step >= 2:
        # Half goes to the street crew as a whole, half to its member by name (who then leads it).
        lead = cast.crew_member if rng.random() < 0.5 else None
        act(Action.ASSIGN, cast.staff, 20, services.Change(assignee=lead, crew=cast.street_crew))
    if step >= 3:
        act(Action.START, cast.crew, 30)
    if step == 4:
        reason = rng.choice(["Waiting for a part from the supplier.", "Needs a street closure permit first."])
        act(Action.HOLD, cast.crew, 5, services.Change(reason=reason))
        return
    if step >= 5:
        photos = [_completion_photo()] if service_request.service.closure_needs_photo else []
        note = "Fixed today by the Public Works crew. Thank you for reporting it."
        act(
            Action.RESOLVE, cast.crew, 24, services.Change(resolution=Resolution.FIXED, public_note=note, photos=photos)
        )
    if step >= 6:
        if service_request.reporter_id == cast.resident.pk:
            act(Action.CONFIRM, Actor(user=cast.resident, roles=frozenset({Role.REQUESTER})), 48)
        else:
            act(Action.CLOSE, SYSTEM, 7 * 24)


def _completion_photo() -> bytes:
    """A small generated picture standing in for a crew's completion photo."""
    image = Image.new("RGB", (640, 480), (196, 208, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 480), fill=(90, 90, 96))
    draw.text((24, 24), "Completed", fill=(20, 60, 20))
    buffer = BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()
