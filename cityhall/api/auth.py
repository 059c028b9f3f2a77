"""Who is calling: a partner's key sent as `Authorization: Bearer <key>`, on every call but the schema and docs.

The keys are the partners' (cityhall.partners): issued by staff in the admin or with `cityhall apikey`,
the same keys Open311 takes, counted against the same per-minute limit. A key may read whatever its
scopes; what it may write is decided per request by cityhall.requests.access.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import site_city
from cityhall.core import clock
from cityhall.core.problem_details import Problem
from cityhall.partners.keys import KeyRefused, Refusal, authorise, seconds_to_next_minute
from cityhall.partners.models import ApiKey
from cityhall.requests.access import Partner


@dataclass(frozen=True)
class Caller:
    """The key that made this call, as the domain sees it, and the city it is served."""

    key: ApiKey
    partner: Partner
    jurisdiction: Jurisdiction


class BearerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        city = site_city()
        if city is None:
            raise Problem(503, "This site has no city set up yet.", headers={"Retry-After": "60"})
        try:
            key = authorise(token, city.pk)
        except KeyRefused as refused:
            raise refusal(refused) from None
        return Caller(key=key, partner=key.partner, jurisdiction=city)


REFUSALS = {
    Refusal.MISSING: (401, "unauthorized", "Send your key as Authorization: Bearer <key>."),
    Refusal.INVALID: (401, "unauthorized", "This key is not known; check that it was copied whole."),
    Refusal.REVOKED: (401, "unauthorized", "This key has been revoked; ask the city for a new one."),
    Refusal.JURISDICTION: (403, "forbidden", "This key is for another city than the one this server serves."),
}


def refusal(refused: KeyRefused) -> Problem:
    if refused.reason is Refusal.RATE_LIMITED:
        limit = refused.key.rate_limit_per_minute if refused.key else 0
        wait = seconds_to_next_minute(clock.now())
        return Problem(
            429,
            f"This key's limit of {limit} calls per minute is used up; retry in {wait} seconds.",
            code="rate-limited",
            headers={"Retry-After": str(wait)},
        )
    status, code, detail = REFUSALS[refused.reason]
    return Problem(status, detail, code=code, headers=challenge(status))


def challenge(status: int) -> dict[str, str]:
    """RFC 6750: a 401 names the scheme the client must use."""
    return {"WWW-Authenticate": 'Bearer realm="cityhall"'} if status == 401 else {}


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller), "every operation of the API is authenticated"
    return caller
