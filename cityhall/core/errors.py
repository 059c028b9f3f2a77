"""Domain errors that every interface knows how to render (form message, Open311 error, JSON)."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the caller can explain to a person: `field` names what was wrong, if one thing was."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationFailed(DomainError):
    """Input that breaks a rule of the catalogue or the city (bad attribute, outside the boundary…)."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field, code="invalid")
        self.errors = errors


class NotFound(DomainError):
    """The object does not exist, or this caller may not know that it does."""

    status = 404

    def __init__(self, message: str = "Not found.", *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="not_found")


class TransitionRefused(DomainError):
    """The workflow table does not allow this action now, for this actor, or without what it requires."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "refused") -> None:
        super().__init__(message, field=field, code=code)
