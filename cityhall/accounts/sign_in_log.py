"""Every failed sign-in, logged to the "cityhall.accounts.sign_in" logger and kept for admins.

A log line reads:

    sign-in failed: method=password email=3f2a9c0d1e4b5a67 account=42 ip=203.0.113.7 at=2026-05-01T17:03:12Z

No password and no address is ever written: `email` is a keyed fingerprint of the address (the
same address always gives the same one, so an attack on one account stands out), `account` the
id of the account that address belongs to, if any. `throttled=yes` marks an attempt refused by
the rate limit before its password was even checked; those go to the log only, so a flood of
them cannot fill the table.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.signals import login_code_rejected
from allauth.mfa.signals import authentication_failed as second_factor_failed
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .models import FailedSignIn, User

logger = logging.getLogger("cityhall.accounts.sign_in")

# Failed attempts hold client addresses, which are personal data: kept long enough to see an attack.
FAILED_SIGN_IN_RETENTION = timedelta(days=30)


def email_fingerprint(email: str | None) -> str:
    """A keyed hash of the address (16 hex digits): stable, searchable, not readable back."""
    if not email:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return str(get_adapter(request).get_client_ip(request))  # allauth ships no types; it answers a str
    except Exception:  # no address at all (a test client without REMOTE_ADDR): log without one
        return None


def record_failure(
    request: HttpRequest | None,
    *,
    method: str,
    email: str | None = None,
    user: User | None = None,
    throttled: bool = False,
) -> None:
    """Log one failed sign-in, and keep it for the admin unless it was refused by the rate limit."""
    now = timezone.now()
    if user is None and email:
        user = User.objects.filter(email__iexact=email.strip()).first()
    if email is None and user is not None:
        email = user.email
    ip = _client_ip(request)
    logger.warning(
        "sign-in failed: method=%s email=%s account=%s ip=%s at=%s%s",
        method,
        email_fingerprint(email) or "-",
        user.pk if user else "-",
        ip or "-",
        now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        " throttled=yes" if throttled else "",
    )
    if throttled:
        return
    FailedSignIn.objects.filter(at__lt=now - FAILED_SIGN_IN_RETENTION).delete()
    FailedSignIn.objects.create(at=now, method=method, email_fingerprint=email_fingerprint(email), user=user, ip=ip)


@receiver(user_login_failed, dispatch_uid="cityhall_log_wrong_password")
def log_wrong_password(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django sends this for a wrong password (allauth's sign-in form and the admin's alike)."""
    email = credentials.get("email") or credentials.get("username")
    record_failure(request, method=FailedSignIn.Method.PASSWORD, email=email)


@receiver(login_code_rejected, dispatch_uid="cityhall_log_wrong_code")
def log_wrong_code(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    record_failure(request, method=FailedSignIn.Method.CODE, user=user)


@receiver(second_factor_failed, dispatch_uid="cityhall_log_wrong_second_factor")
def log_wrong_second_factor(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_failure(request, method=FailedSignIn.Method.SECOND_FACTOR, user=user)
