"""A city whose requests are full of personal data: what the privacy tests feed every public surface."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cityhall.accounts.models import Role, User
from cityhall.core import clock
from cityhall.requests import services
from cityhall.requests.models import Attachment, ServiceRequest
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import CITY_HALL, actor, submit
from cityhall.requests.workflow import Action
from cityhall.requests.workflow import Role as Acting

from .soda_fixtures import city, slow_query  # noqa: F401 (the SODA tests' six known requests, a slow query)

# Every string below is personal or internal: none may appear on any public surface.
REPORTER = {"name": "Zebulon Farnsworth", "email": "zeb.farnsworth@private.example", "phone": "310-555-0147"}
ACCOUNT = {"name": "Quillon Accountholder", "email": "quillon@private.example", "phone": "+1 424 555 0199"}
CLIENT = {"device_id": "device-7f3e9a-secret", "account_id": "acct-55aa-secret"}
WRITTEN_CONTACTS = ("other.person@mail.example", "(310) 555-0123")
INTERNAL_NOTE = "Internal: caller sounded upset, lives upstairs, key code 4471"
INTERNAL_PHOTO = "internal-photo-secret"
PRIVATE_TEXT = "Private matter plugh: records request about my neighbor"
SENSITIVE_TEXT = "Tent frotz behind 1402 Ocean Park Blvd, same man every night"
SENSITIVE_POINT = (34.003123, -118.481456)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """The projection's upkeep tasks run at once instead of waiting for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class PersonalCity:
    public: ServiceRequest
    private: ServiceRequest
    sensitive: ServiceRequest

    def secrets(self) -> list[str]:
        """Everything that must stay out of every public surface."""
        found = [
            *REPORTER.values(), *REPORTER["name"].split(), *ACCOUNT.values(), *ACCOUNT["name"].split(),
            *CLIENT.values(), *WRITTEN_CONTACTS, INTERNAL_NOTE, "key code 4471", INTERNAL_PHOTO,
            PRIVATE_TEXT, "plugh", SENSITIVE_TEXT, "frotz", "1402 Ocean Park",
            f"{SENSITIVE_POINT[0]}", f"{SENSITIVE_POINT[1]}",
            self.private.public_id,
        ]  # fmt: skip
        return found + [request.tracking_token for request in (self.public, self.private, self.sensitive)]


@pytest.fixture
def personal_city(service, people, public_works, django_capture_on_commit_callbacks) -> PersonalCity:
    """Three requests with every personal field full, written through the services, projection kept after commit."""
    account = User.objects.create_user(ACCOUNT["email"], None, role=Role.RESIDENT, name=ACCOUNT["name"])
    account.phone = ACCOUNT["phone"]
    account.save()
    contact = services.Contact(**REPORTER)
    client = services.ClientInfo(**CLIENT)
    description = (
        f"Deep pothole by the bus stop. Email me at {WRITTEN_CONTACTS[0]} or call {WRITTEN_CONTACTS[1]}. "
        f"My number is {REPORTER['phone']}, thanks, {REPORTER['name']}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        public = submit(
            service("potholes"), at=CITY_HALL, reporter=account, contact=contact, client=client,
            description=description, place_note=f"Behind the blue gate; text {WRITTEN_CONTACTS[1]} and I will open it",
        )  # fmt: skip
        private = submit(service("police-reports-records"), reporter=account, contact=contact, description=PRIVATE_TEXT)
        sensitive = submit(
            service("homeless-related-issues"), at=SENSITIVE_POINT, contact=contact, client=client,
            description=SENSITIVE_TEXT,
        )  # fmt: skip
        agent = actor(people["agent"], Acting.AGENT)
        for request in (public, private, sensitive):
            services.service_request_transition(
                service_request=request, action=Action.NOTE, actor=agent, change=Change(internal_note=INTERNAL_NOTE)
            )
        services.service_request_transition(
            service_request=public, action=Action.COMMENT, actor=agent,
            change=Change(public_note=f"Thanks {REPORTER['name']}; we will call you on {REPORTER['phone']}."),
        )  # fmt: skip
    Attachment.objects.create(
        request=public, is_public=False, image=f"requests/ab/{INTERNAL_PHOTO}.jpg",
        thumbnail=f"requests/ab/{INTERNAL_PHOTO}-thumb.jpg", content_type="image/jpeg", width=1, height=1, size=1,
        sha256="ab" * 32, created_at=clock.now(),
    )  # fmt: skip
    return PersonalCity(public=public, private=private, sensitive=sensitive)


CONTACT = services.Contact(name="Rosa Reporter", email="rosa.reporter@example.org", phone="310-555-0147")


@pytest.fixture
def reported(service, django_capture_on_commit_callbacks):
    """A public request, one of a sensitive category and a private one, by one reporter, projected after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        public = submit(service("potholes"), description="Deep hole, call me at 310-555-0147", contact=CONTACT)
        sensitive = submit(service("loud-music"), description="Party next door", contact=CONTACT)
        private = submit(service("police-reports-records"), description="A private matter", contact=CONTACT)
    return public, sensitive, private
