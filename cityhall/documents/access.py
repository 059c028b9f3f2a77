"""The door to a document's file: city staff only, signed in with their second factor."""

from __future__ import annotations

from django.http import HttpRequest

from cityhall.accounts.middleware import staff_without_second_factor
from cityhall.core.errors import NotFound

from .models import Document
from .selectors import document_by_number


def document_for_staff(request: HttpRequest, number: str) -> Document:
    """The document, for staff who act for the city now; anyone else is told there is no such file."""
    user = request.user
    if not user.is_authenticated or not user.is_city_staff or staff_without_second_factor(request):
        raise NotFound("No such document.")
    document = document_by_number(number)
    if document is None:
        raise NotFound("No such document.")
    return document
