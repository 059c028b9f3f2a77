"""One HTTP POST to a partner's receiver, to an address checked just before (addresses.py).

urllib3 connects to the checked address itself, while TLS still verifies the certificate of the
URL's host (SNI and host name check) and the Host header names it: resolving the name a second
time, as a plain client would, could land on another address. Redirects are not followed (they
could point inside) and count as failures; the answer's body is not read beyond a little.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from .addresses import AddressRefused, Target, allowed_addresses, target_of

USER_AGENT = "CityHall-Webhooks/1"
MAX_ERROR = 500


@dataclass(frozen=True)
class Outcome:
    status_code: int | None  # None when no answer came
    duration_ms: int
    error: str  # empty on success

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    try:
        target = target_of(url)
        address = allowed_addresses(target)[0]
        status = _post_to(target, address, body, headers)
    except AddressRefused as refused:
        return Outcome(None, _ms_since(started), f"Refused: {refused}")
    except urllib3.exceptions.HTTPError as error:
        return Outcome(None, _ms_since(started), f"{type(error).__name__}: {error}"[:MAX_ERROR])
    refusal = "" if 200 <= status < 300 else f"The receiver answered {status}."
    return Outcome(status, _ms_since(started), refusal)


def _post_to(target: Target, address: str, body: bytes, headers: dict[str, str]) -> int:
    timeout = urllib3.Timeout(connect=settings.CITYHALL_WEBHOOK_TIMEOUT, read=settings.CITYHALL_WEBHOOK_TIMEOUT)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if ":" not in target.host else f"[{target.host}]"
    if target.port != default_port:
        host_header += f":{target.port}"
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
    with pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Host": host_header,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
            redirect=False,
            preload_content=False,
        )
        response.read(4096)  # a little, so the connection closes cleanly; what it says is not kept
        response.release_conn()
        return int(response.status)


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
