"""The bounds of what a request holds: every length and format, checked before anything is written.

One table, by the names the services report errors under (the Open311 parameter names). Lengths
are read from the model's fields, so each column's limit is written once, in the model; formats
come from `cityhall.core.contact`. The services check them (so Open311, the forms and the desk
refuse the same things), the web forms build their fields from them (`form_kwargs`, so a person
sees the error beside the field, in their language), and the importer skips a row that breaks one.
Coordinates are bounded by `cityhall.core.geometry.valid_coordinates`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from cityhall.core.contact import validate_phone

from .models import ServiceRequest

# A description, a note to or about a resident, a long answer: about two pages of text. The one
# limit for free text that has no column length of its own.
MAX_TEXT = 4000
# A short answer (an Open311 `string` question): one line.
MAX_SHORT_TEXT = 300
# The requester's comment with their rating: for the department, half a page.
MAX_COMMENT = 2000

Validator = Callable[[Any], None]
_web_url = URLValidator(schemes=["http", "https"], message="Enter an http or https URL.")


def model_length(name: str) -> int:
    length = getattr(ServiceRequest._meta.get_field(name), "max_length", None)
    assert isinstance(length, int), name
    return length


@dataclass(frozen=True)
class Bound:
    label: str  # how an error names the field, e.g. "The phone number"
    max_length: int
    validators: tuple[Validator, ...] = ()

    def problem(self, value: str) -> str:
        """What is wrong with `value` ("" when nothing is). Stable wording: the importer counts reasons."""
        if len(value) > self.max_length:
            return f"{self.label} is longer than {self.max_length} characters."
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                return " ".join(str(message) for message in error.messages)
        return ""


BOUNDS: dict[str, Bound] = {
    "description": Bound("The description", MAX_TEXT),
    "address_string": Bound("The address", model_length("address")),
    "address_id": Bound("The address id", model_length("address_id")),
    "zipcode": Bound("The zipcode", model_length("zipcode")),
    "location_description": Bound("The description of the place", model_length("location_description")),
    "media_url": Bound("media_url", model_length("media_url"), (_web_url,)),
    "name": Bound("The name", model_length("reporter_name")),
    "email": Bound("The email address", model_length("reporter_email"), (validate_email,)),
    "phone": Bound("The phone number", model_length("reporter_phone"), (validate_phone,)),
    "device_id": Bound("device_id", model_length("device_id")),
    "account_id": Bound("account_id", model_length("account_id")),
    # What staff and partners write on the timeline (transition service).
    "public_note": Bound("The note to the resident", MAX_TEXT),
    "internal_note": Bound("The internal note", MAX_TEXT),
    "reason": Bound("The reason", model_length("hold_reason")),
    "referred_to": Bound("The agency", model_length("referred_to")),
    "referral_url": Bound("The link", model_length("referral_url"), (_web_url,)),
    # The requester's feedback (feedback service).
    "comment": Bound("The comment", MAX_COMMENT),
}


def check(values: Mapping[str, str]) -> dict[str, str]:
    """Errors by field name for the non-empty values that break their bound (an empty value is absent)."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        problem = BOUNDS[name].problem(value) if value else ""
        if problem:
            errors[name] = problem
    return errors


def form_kwargs(name: str) -> dict[str, Any]:
    """A form field's `max_length` and `validators` for the field bounded as `name`.

    Use them on a CharField: Django then says what is wrong in the person's language (its own
    length message, and the translated message of each format rule).
    """
    bound = BOUNDS[name]
    return {"max_length": bound.max_length, "validators": list(bound.validators)}
