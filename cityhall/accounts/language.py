"""A person's language follows them: signing in switches the site to the language of their profile."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse


def use_language(request: HttpRequest, response: HttpResponse, language: str) -> HttpResponse:
    """Switch the site to `language` with Django's language cookie (the one the header's switch writes)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@receiver(user_logged_in, dispatch_uid="cityhall_language_of_the_profile")
def sign_in_in_the_profiles_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth hands over the response that ends the sign-in: it carries the profile's language.

    Only a language other than the site's default counts as chosen: every account starts with the
    default (staff accounts are made by an admin), and that must not overrule the browser's language.
    """
    response = kwargs.get("response")
    language = getattr(user, "language", "")
    known = {code for code, _name in settings.LANGUAGES}
    if response is not None and language in known and language != settings.LANGUAGE_CODE:
        use_language(request, response, language)
