"""Where a webhook may be sent: http(s) URLs whose host resolves only to public addresses.

A subscription's URL is checked when it is saved, and its host is resolved and checked again at
every delivery, which then connects to the very address it checked (sending.py): a name that
resolved to a public address yesterday may point at the city's own network today (DNS rebinding).
Private, loopback, link-local, shared, reserved and multicast addresses are refused unless a
network in CITYHALL_WEBHOOK_ALLOWED_NETWORKS holds them (the tests allow loopback that way).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from django.conf import settings
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

MAX_URL = 2000
SCHEMES = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL, or an address its host resolves to, is not one a webhook may be sent to; says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL, split the way sending needs it."""

    scheme: str
    host: str  # as written (a name, or an address without brackets)
    port: int
    path: str  # path and query, at least "/"


def target_of(url: str) -> Target:
    """The URL's parts, if it is an absolute http(s) URL without credentials; AddressRefused otherwise."""
    if len(url) > MAX_URL:
        raise AddressRefused(f"The URL is longer than {MAX_URL} characters.")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise AddressRefused("The URL may not contain spaces or control characters.")
    try:
        parts = parse_url(url)
    except LocationParseError as error:
        raise AddressRefused("This is not a URL.") from error
    scheme = (parts.scheme or "").lower()
    if scheme not in SCHEMES:
        raise AddressRefused("The URL must start with https:// (or http://).")
    if not parts.host:
        raise AddressRefused("The URL must name a host.")
    if parts.auth:
        raise AddressRefused("The URL may not carry a user name or password.")
    if parts.fragment:
        raise AddressRefused("The URL may not have a fragment (#…).")
    host = parts.host.strip("[]").lower()
    return Target(scheme=scheme, host=host, port=parts.port or SCHEMES[scheme], path=parts.request_uri or "/")


def allowed_addresses(target: Target) -> list[str]:
    """Every address the host resolves to, if all may be reached; AddressRefused when any may not.

    All of them, not just the first: a client could connect to any, and one refused address in a
    round-robin is someone aiming at the inside.
    """
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(f"The host {target.host} does not resolve.") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        if not may_reach(ipaddress.ip_address(address.split("%")[0])):
            raise AddressRefused(f"The host {target.host} resolves to {address}, which is not a public address.")
    return addresses


def may_reach(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    if any(address in network for network in allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(network) for network in settings.CITYHALL_WEBHOOK_ALLOWED_NETWORKS]


def check_url(url: str) -> Target:
    """What a subscription's URL must be when it is saved: well formed, and resolving to allowed addresses."""
    target = target_of(url)
    allowed_addresses(target)
    return target
