"""Numbers from query strings and forms, where anything may arrive."""

from __future__ import annotations

# Row ids are 64-bit: a longer number is nobody's id, and SQLite's driver refuses it (OverflowError).
LARGEST_ID = 2**63 - 1


def int_or_none(value: str | None) -> int | None:
    """The whole number in `value`, or None for anything else (empty, words, beyond a row id's range)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is None or abs(number) <= LARGEST_ID else None


def assignee_ids(choice: str) -> tuple[int | None, int | None]:
    """(person id, crew id) from an "assign to" value: a person's id, or "crew-" and a crew's id."""
    crew = choice.removeprefix("crew-")
    return (None, int_or_none(crew)) if crew != choice else (int_or_none(choice), None)


# A request number as people read it: eight digits (`ServiceRequest.public_id`).
REQUEST_NUMBER_DIGITS = 8


def typed_request_number(value: str | None) -> str:
    """What someone typed as a request number, without spaces, a leading "#" or anything past 32 characters."""
    return "".join((value or "").split()).removeprefix("#")[:32]


def is_request_number(value: str) -> bool:
    return len(value) == REQUEST_NUMBER_DIGITS and value.isascii() and value.isdigit()
