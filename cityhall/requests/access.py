"""The one place that decides who a person is to a request, and hands out requests accordingly.

Interfaces never fetch a ServiceRequest themselves: they call these, which either return it or
raise NotFound — a request you may not see is indistinguishable from one that does not exist.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from cityhall.accounts.models import STAFF_ROLES, User
from cityhall.catalogue.models import Department
from cityhall.catalogue.selectors import active_crew_ids_of, department_or_none
from cityhall.core.errors import DomainError, NotFound

from . import selectors
from .available import available_actions
from .device_reports import DeviceReport
from .events import Actor
from .models import Attachment, Channel, ServiceRequest
from .workflow import Action, Role

AnyUser = User | AnonymousUser | None


def roles_for(user: AnyUser, service_request: ServiceRequest, *, token: str = "") -> frozenset[Role]:
    """What this person is to this request. Department roles only count in the owning department."""
    roles = {Role.PUBLIC}
    if _token_matches(token, service_request.tracking_token):
        roles.add(Role.REQUESTER)
    if not isinstance(user, User) or not user.is_active:
        return frozenset(roles)
    if service_request.reporter_id is not None and service_request.reporter_id == user.pk:
        roles.add(Role.REQUESTER)
    own_department = user.department_id is not None and user.department_id == service_request.department_id
    match user.role:
        case Role.ADMIN:
            roles.add(Role.ADMIN)
        case Role.AGENT:
            roles.add(Role.AGENT)
        case Role.SUPERVISOR if own_department:
            roles.add(Role.SUPERVISOR)
        case Role.STAFF if own_department:
            roles.add(Role.STAFF)
        case Role.CREW if service_request.assignee_id == user.pk or service_request.crew_id in crew_ids_of(user):
            roles.add(Role.CREW)  # field crews work what is assigned to them or their crew, nothing else
    return frozenset(roles)


def _token_matches(presented: str, actual: str) -> bool:
    return bool(presented) and hmac.compare_digest(presented.encode(), actual.encode())


def token_opens(public_id: str, token: str) -> bool:
    """Whether this is the request's tracking token: a wrong one is a guess, which callers count."""
    actual = ServiceRequest.objects.filter(public_id=public_id).values_list("tracking_token", flat=True).first()
    return actual is not None and _token_matches(token, actual)


def crew_ids_of(user: User) -> frozenset[int]:
    """The active crews this person belongs to: one query per user object, then remembered on it."""
    known = getattr(user, "_crew_ids", None)
    if known is None:
        known = active_crew_ids_of(user.pk)
        user._crew_ids = known  # type: ignore[attr-defined]
    return known


def actor_for(user: AnyUser, service_request: ServiceRequest, *, token: str = "", label: str = "") -> Actor:
    return Actor(
        user=user if isinstance(user, User) else None,
        roles=roles_for(user, service_request, token=token),
        label=label,
    )


def is_staff_on(roles: frozenset[Role]) -> bool:
    return not roles.isdisjoint({Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})


def request_for_public(public_id: str, *, user: AnyUser = None, token: str = "") -> ServiceRequest:
    """A request as anyone may see it. Private categories are visible only to the requester and staff."""
    service_request = _get(public_id)
    if service_request.service.is_private:
        roles = roles_for(user, service_request, token=token)
        if Role.REQUESTER not in roles and not is_staff_on(roles):
            raise NotFound()
    return service_request


def request_for_requester(public_id: str, *, user: AnyUser = None, token: str = "") -> tuple[ServiceRequest, Actor]:
    """A request its reporter may act on (confirm, reopen, give feedback)."""
    service_request = _get(public_id)
    actor = actor_for(user, service_request, token=token)
    if Role.REQUESTER not in actor.roles:
        raise NotFound()
    return service_request, actor


def request_for_staff(public_id: str, *, user: AnyUser) -> tuple[ServiceRequest, Actor]:
    """A request a member of staff may work on: the 311 desk and admins all, departments their own."""
    service_request = _get(public_id)
    actor = actor_for(user, service_request)
    if not is_staff_on(actor.roles):
        raise NotFound()
    return service_request, actor


def requests_for_staff(public_ids: list[str], *, user: AnyUser) -> list[tuple[ServiceRequest, Actor]]:
    """The requests among these that this person may work on (bulk actions), in one query; others are left out."""
    # The city fetched once for all, not joined: its boundary would be decoded again for each of 500 rows.
    found = (
        ServiceRequest.objects.select_related("service", "department")
        .prefetch_related("jurisdiction")
        .filter(public_id__in=public_ids[:500])
    )
    pairs = [(service_request, actor_for(user, service_request)) for service_request in found]
    return [(service_request, actor) for service_request, actor in pairs if is_staff_on(actor.roles)]


def requests_for_device(device_reports: Sequence[DeviceReport]) -> list[ServiceRequest]:
    """The requests this browser reported (its signed device cookie), newest first.

    Each is shown only while its tracking token still matches: a stale or forged pair opens nothing.
    """
    found = selectors.requests_by_public_id([public_id for public_id, _ in device_reports])
    mine = []
    for public_id, token in reversed(device_reports):  # the cookie keeps them oldest first
        service_request = found.get(public_id)
        if service_request is not None and Role.REQUESTER in roles_for(None, service_request, token=token):
            mine.append(service_request)
    return mine


def photo_is_open(photo: Attachment) -> bool:
    """A public photo of a request in a public category: anyone may fetch it, and Open311 lists it."""
    return photo.is_public and not photo.request.service.is_private


def may_see_photo(roles: frozenset[Role], photo: Attachment) -> bool:
    """Internal photos (with a staff note) are staff's; a private category's are its reporter's and staff's."""
    if photo_is_open(photo):
        return True
    if is_staff_on(roles):
        return True
    return photo.is_public and Role.REQUESTER in roles


def photo_for(name: str, *, user: AnyUser, device_reports: Sequence[DeviceReport] = ()) -> Attachment:
    """A stored photo (full size or thumbnail) by its storage name, if this person may download it.

    Decided at every download, from the person's session and the tracking tokens their browser holds
    (the signed device cookie), never from the address alone: a copied link opens nothing more.
    A file that is no photo of a request (a directory, a stray file) is NotFound like a forbidden one.
    """
    photo = (
        Attachment.objects.select_related("request__service", "request__department")
        .filter(Q(image=name) | Q(thumbnail=name))
        .first()
    )
    if photo is None:
        raise NotFound()
    if photo_is_open(photo):
        return photo
    token = next((token for public_id, token in device_reports if public_id == photo.request.public_id), "")
    if not may_see_photo(roles_for(user, photo.request, token=token), photo):
        raise NotFound()
    return photo


# Which staff pages a person may open (the actions on each request are still checked per request).
# Field crews have no department queue: their list is "My work" (theirs and their crews').
DESK_ACCOUNTS = frozenset({Role.AGENT, Role.ADMIN})
DEPARTMENT_ACCOUNTS = frozenset({Role.STAFF, Role.SUPERVISOR})


def staff_account(user: AnyUser) -> User:
    """An active member of city staff, or NotFound: residents never learn the staff pages exist."""
    if not isinstance(user, User) or not user.is_active or user.role not in STAFF_ROLES:
        raise NotFound()
    return user


def may_triage(user: AnyUser) -> bool:
    """The triage queue (new, unrouted requests) and logging calls belong to the 311 desk."""
    return isinstance(user, User) and user.is_active and user.role in DESK_ACCOUNTS


def triage_desk(user: AnyUser) -> User:
    if not may_triage(user):
        raise NotFound()
    return user  # type: ignore[return-value]


def desk_actor(user: AnyUser) -> Actor:
    """The 311 desk taking a call (before any request exists): the agent, or an admin as admin.

    NotFound for anyone else, like the desk's pages.
    """
    agent = triage_desk(user)
    return Actor(user=agent, roles=frozenset({Role.ADMIN if agent.role == Role.ADMIN else Role.AGENT}))


def department_for_staff(department_id: int | None, *, user: AnyUser) -> Department:
    """A department whose queue this person may see: their own; the 311 desk and admins any of their city."""
    account = staff_account(user)
    if account.role == Role.CREW:
        raise NotFound()
    wanted = department_id if department_id is not None else account.department_id
    if wanted is None or (account.role in DEPARTMENT_ACCOUNTS and wanted != account.department_id):
        raise NotFound()
    department = department_or_none(wanted)
    if department is None:
        raise NotFound()
    return department


def department_for_supervisor(department_id: int | None, *, user: AnyUser) -> Department:
    """A department whose SLA board and workload this person may see: supervisors their own, admins any."""
    account = staff_account(user)
    if account.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise NotFound()
    return department_for_staff(department_id, user=account)


# ---------------------------------------------------------------- Open311 partners


class PartnerScope(models.TextChoices):
    """What a partner's API key may do (Open311 and the JSON API). A key holds one or more; every key may read."""

    READ = "read", "Read only (no writes)"
    SUBMIT = "submit", "Submit requests"
    UPDATE_OWN = "update-own", "Update the requests this key submitted"
    UPDATE_ANY = "update-any", "Update any request (the city's own back-office systems)"
    WEBHOOKS = "webhooks", "Manage its own webhook subscriptions"
    DEVICES = "devices", "Read the city's devices and their readings"
    APPLICATIONS = "applications", "Read the city's applications for digital services (no personal data)"


# What a key gets unless told otherwise, and what keys issued before scopes existed were given: the
# FixMyStreet pattern. A partner sends its users' reports and relays their comments, confirmations
# and reopenings on those reports only, never on a resident's web report or another partner's.
DEFAULT_PARTNER_SCOPES = (PartnerScope.SUBMIT, PartnerScope.UPDATE_OWN)


class PartnerRefused(DomainError):
    """The key is valid but its scopes do not allow this write."""

    status = 403

    def __init__(self, message: str) -> None:
        super().__init__(message, field="api_key", code="forbidden")


# The channels through which a partner's key submits: a request is "its own" when it came in through
# one of them under the key's name.
PARTNER_CHANNELS = frozenset({Channel.OPEN311, Channel.API})


@dataclass(frozen=True)
class Partner:
    """A partner's client (Open311 or JSON API) as the domain sees it: the key's name and its scopes."""

    name: str
    scopes: frozenset[PartnerScope]

    @classmethod
    def of(cls, name: str, scopes: Iterable[str]) -> Partner:
        return cls(name=name, scopes=frozenset(PartnerScope(scope) for scope in scopes))


def partner_may_submit(partner: Partner) -> None:
    """Raises PartnerRefused unless this key may create requests."""
    if PartnerScope.SUBMIT not in partner.scopes:
        raise PartnerRefused("This api_key may not submit requests (it lacks the submit scope).")


def partner_may_manage_webhooks(partner: Partner) -> None:
    """Raises PartnerRefused unless this key may list, create and delete its webhook subscriptions."""
    if PartnerScope.WEBHOOKS not in partner.scopes:
        raise PartnerRefused("This key may not manage webhooks (it lacks the webhooks scope).")


def partner_may_read_devices(partner: Partner) -> None:
    """Raises PartnerRefused unless this key may read the city's devices and their readings."""
    if PartnerScope.DEVICES not in partner.scopes:
        raise PartnerRefused("This key may not read devices (it lacks the devices scope).")


def partner_may_read_applications(partner: Partner) -> None:
    """Raises PartnerRefused unless this key may read the city's applications (never their answers or files)."""
    if PartnerScope.APPLICATIONS not in partner.scopes:
        raise PartnerRefused("This key may not read applications (it lacks the applications scope).")


def partner_actor(partner: Partner, service_request: ServiceRequest) -> Actor:
    """The actor a partner is on this request, or PartnerRefused.

    "Its own" means submitted through Open311 or the JSON API with this key: the request carries the key's name, which
    is unique and fixed once the key is issued. What the partner may then do is the workflow's
    `partner` role: comment, confirm or reopen on the reporter's behalf, never resolve.
    """
    own = service_request.channel in PARTNER_CHANNELS and service_request.api_client == partner.name
    if PartnerScope.UPDATE_ANY in partner.scopes or (own and PartnerScope.UPDATE_OWN in partner.scopes):
        return Actor(user=None, roles=frozenset({Role.PARTNER}), label=partner.name)
    if PartnerScope.UPDATE_OWN in partner.scopes:
        raise PartnerRefused(
            f"This api_key may only update requests it submitted; request {service_request.public_id} was not."
        )
    raise PartnerRefused("This api_key may not post updates (it has neither update-own nor update-any scope).")


def request_for_partner(public_id: str, *, partner: Partner, jurisdiction_id: int) -> tuple[ServiceRequest, Actor]:
    """A request a partner posts an update on (Open311) or acts on (JSON API), and the actor it is there.

    NotFound unless it is a public request of this jurisdiction (what the partner can list);
    PartnerRefused when the key's scopes do not reach it.
    """
    service_request = request_for_partner_to_read(public_id, jurisdiction_id=jurisdiction_id)
    return service_request, partner_actor(partner, service_request)


def request_for_partner_to_read(public_id: str, *, jurisdiction_id: int) -> ServiceRequest:
    """A request any partner key may read: a public request of this jurisdiction, else NotFound.

    What it may read of it is the public text (`public_text`): no reporter details, whatever its scopes.
    """
    service_request = _get(public_id)
    if service_request.jurisdiction_id != jurisdiction_id or service_request.service.is_private:
        raise NotFound(f"There is no request {public_id}.")
    return service_request


def partner_actions(partner: Partner, service_request: ServiceRequest, now: datetime) -> list[Action]:
    """What this key may do to this request now (none when its scopes do not reach it)."""
    try:
        actor = partner_actor(partner, service_request)
    except PartnerRefused:
        return []
    return available_actions(service_request, actor, now)


def _get(public_id: str) -> ServiceRequest:
    try:
        return ServiceRequest.objects.select_related("service", "jurisdiction", "department").get(public_id=public_id)
    except (ServiceRequest.DoesNotExist, ValueError):
        raise NotFound(f"There is no request {public_id}.") from None


# Who reads a request's free text as written; everyone else reads it through public_text (no contacts).
READS_ORIGINAL_TEXT = frozenset({Role.REQUESTER, Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})


def reads_original_text(roles: frozenset[Role]) -> bool:
    return bool(roles & READS_ORIGINAL_TEXT)
