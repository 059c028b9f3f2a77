"""The doors to documents: city staff only, signed in with their second factor; a memo only to its people."""

from __future__ import annotations

from django.http import HttpRequest

from cityhall.accounts.middleware import staff_without_second_factor
from cityhall.core.errors import NotFound

from .models import Document, Memo
from .selectors import document_by_number, memo_by_number, memo_of, memo_participant_ids


def document_for_staff(request: HttpRequest, number: str) -> Document:
    """The document, for staff who act for the city now (a memo: its author and signers only); anyone else is
    told there is no such file."""
    user = request.user
    if not user.is_authenticated or not user.is_city_staff or staff_without_second_factor(request):
        raise NotFound("No such document.")
    document = document_by_number(number)
    if document is None:
        raise NotFound("No such document.")
    memo = memo_of(document)
    if memo is not None and user.pk not in memo_participant_ids(memo):
        raise NotFound("No such document.")
    return document


def memo_for_staff(request: HttpRequest, number: str) -> Memo:
    """The memo, for its author and its signers acting for the city now; to anyone else there is no such memo."""
    user = request.user
    if not user.is_authenticated or not user.is_city_staff or staff_without_second_factor(request):
        raise NotFound("No such memo.")
    memo = memo_by_number(number)
    if memo is None or user.pk not in memo_participant_ids(memo):
        raise NotFound("No such memo.")
    return memo
