"""Email addresses as allauth keeps them: verified ones let people sign in by password or code."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from .models import User


def mark_email_verified(user: User) -> None:
    """For accounts the city creates itself (staff by admins, the demo): their address is known good."""
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
