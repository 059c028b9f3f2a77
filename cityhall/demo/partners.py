"""The demo's partner: an API key for Open311 and the JSON API, so both can be tried as soon as `make run` serves.

Only a key's hash is kept, so the demo cannot show a key it issued before: each run gives the partner a
new secret (the previous one is refused from then on) and prints it with the sign-ins. No secret is
written in the code.
"""

from __future__ import annotations

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.errors import NotFound
from cityhall.partners.keys import issue_key, rotate_key

DEMO_PARTNER = "Santa Monica demo app"


def demo_partner_key(jurisdiction: Jurisdiction) -> str:
    """A working key of the demo partner (the partners' default scopes, this city only), new at each call."""
    try:
        return rotate_key(name=DEMO_PARTNER)[1]
    except NotFound:
        return issue_key(name=DEMO_PARTNER, contact_email="partners@example.org", jurisdiction=jurisdiction)[1]


def partner_lines(base_url: str, key: str) -> list[str]:
    return [
        "Partner API key (Open311 and the JSON API; a new one at each start, docs/api.md):",
        f"  {key}",
        f"  e.g. curl -H 'Authorization: Bearer {key}' {base_url}/api/v1/requests",
    ]
