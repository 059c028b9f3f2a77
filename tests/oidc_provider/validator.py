"""The claims a city's identity provider sends: the address, whether it is verified, a name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.email not in settings.UNVERIFIED_EMAILS,
            "name": user.get_full_name() or user.username,
        }
