"""Who an email is from: the configured address (DEFAULT_FROM_EMAIL) under the name a message speaks as.

A resident's mail app shows the sender's name before anything else, so it is the city's name, as at
the head of the message; the product's name would tell them nothing. An operator who gives
DEFAULT_FROM_EMAIL a name of their own ("Santa Monica 311 <311@santamonica.gov>") keeps it.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings


def from_email(name: str) -> str:
    """DEFAULT_FROM_EMAIL, shown as from `name` unless it names its sender already."""
    configured: str = settings.DEFAULT_FROM_EMAIL
    own_name, address = parseaddr(configured)
    if own_name or not name or not address:
        return configured
    # Address quotes a name with a comma or other specials; the mail backend encodes a non-ASCII one.
    return str(Address(display_name=name, addr_spec=address))
