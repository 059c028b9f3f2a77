"""An Open311 POST's api_key, checked through cityhall.partners.keys and refused in Open311's words."""

from __future__ import annotations

from cityhall.catalogue.models import Jurisdiction
from cityhall.partners.keys import KeyRefused, Refusal, authorise
from cityhall.partners.models import ApiKey

from .errors import Open311Error


def authorise_post(raw_key: str | None, jurisdiction: Jurisdiction) -> ApiKey:
    """The active key for this jurisdiction, counted against its per-minute limit; raises Open311Error."""
    try:
        return authorise(raw_key, jurisdiction.pk)
    except KeyRefused as refused:
        raise Open311Error(*_refusal(refused, jurisdiction)) from None


def _refusal(refused: KeyRefused, jurisdiction: Jurisdiction) -> tuple[int, str]:
    match refused.reason:
        case Refusal.MISSING:
            return 403, "Missing api_key -- can't proceed with create_request."
        case Refusal.INVALID:
            return 403, "Invalid api_key received -- can't proceed with create_request."
        case Refusal.REVOKED:
            return 403, "This api_key has been revoked -- can't proceed with create_request."
        case Refusal.JURISDICTION:
            return (
                403,
                f"This api_key is not valid for jurisdiction_id {jurisdiction.jurisdiction_id} "
                "-- can't proceed with create_request.",
            )
    limit = refused.key.rate_limit_per_minute if refused.key else 0
    return 429, f"Rate limit of {limit} requests per minute exceeded for this api_key; try again in a minute."
