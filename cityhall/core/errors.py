"""Domain errors that every interface knows how to render (form message, Open311 error, JSON).

A fixed message is a member of a `TextChoices` of its app (e.g. `cityhall.requests.problems.Problem`):
a stable code and its words as a lazy translation, kept once. The error carries the English (the API's,
the importer's, the log's) as `message`/`errors`, and the words for a person as `translated` /
`translated_errors`, read in the active language without matching the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Choices
from django.utils.translation import override

Message = Any  # a str (English, composed at run time) or a Choices member (a code with its lazy words)


def english(message: Message) -> str:
    if isinstance(message, Choices):
        with override("en"):
            return str(message.label)
    return str(message)


def for_people(message: Message) -> Any:
    """The lazy words of a coded message, or the English of one composed at run time."""
    return message.label if isinstance(message, Choices) else message


class DomainError(Exception):
    """A refusal the caller can explain to a person: `field` names what was wrong, if one thing was."""

    status = 400

    def __init__(self, message: Message, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(english(message))
        self.message = english(message)
        self.translated = for_people(message)
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationFailed(DomainError):
    """Input that breaks a rule of the catalogue or the city (bad attribute, outside the boundary…)."""

    def __init__(self, errors: Mapping[str, Message]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field, code="invalid")
        self.errors = {field: english(message) for field, message in errors.items()}
        self.translated_errors = {field: for_people(message) for field, message in errors.items()}


class NotFound(DomainError):
    """The object does not exist, or this caller may not know that it does."""

    status = 404

    def __init__(self, message: str = "Not found.", *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="not_found")


class TransitionRefused(DomainError):
    """The workflow table does not allow this action now, for this actor, or without what it requires."""

    status = 409

    def __init__(self, message: Message, *, field: str | None = None, code: str = "refused") -> None:
        super().__init__(message, field=field, code=code)
