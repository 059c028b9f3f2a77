"""{% load notifications %}: what the follow form needs to know about the person looking at it."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.accounts.models import User

from ..selectors import is_following

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_request(context: dict[str, Any], request_obj: Any) -> bool:
    """Whether the signed-in person already follows this request (False for everyone else)."""
    user = context.get("user")
    return isinstance(user, User) and user.is_active and is_following(user, request_obj.pk)
