"""Signing a browser in as a member of staff: a real session cookie, as after sign-in with a second factor."""

from __future__ import annotations

from typing import Any

from django.test import Client

from cityhall.accounts.models import User


def sign_in(page: Any, user: User, base_url: str) -> None:
    """Give the page's browser context the session of `user` (who has TOTP, as the fixtures' staff do)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])
