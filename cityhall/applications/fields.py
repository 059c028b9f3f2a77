"""The field types of a digital service's form: one class per type, each with `clean(raw) -> value`.

A form version's schema (JSON, see `schema.py`) names each field's type; `field_for(spec)` gives the
class that judges its answers. `clean` takes what a person sent (text, or a list of texts for a
multiple choice) and returns the value stored in the application's answers, or raises `FieldInvalid`
with the message in the active language. The web form and (later) the API call the same classes, so
they accept and refuse the same things.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cityhall.core.contact import PHONE_MESSAGE, is_email, is_phone

from . import bounds


class Kind(models.TextChoices):
    TEXT = "text", gettext_lazy("Short text")
    LONG_TEXT = "long_text", gettext_lazy("Long text")
    NUMBER = "number", gettext_lazy("Number")
    DATE = "date", gettext_lazy("Date")
    CHOICE = "choice", gettext_lazy("Choice (one answer)")
    MULTIPLE_CHOICE = "multiple_choice", gettext_lazy("Multiple choice")
    YES_NO = "yes_no", gettext_lazy("Yes or no")
    EMAIL = "email", gettext_lazy("Email")
    PHONE = "phone", gettext_lazy("Phone")
    ADDRESS = "address", gettext_lazy("Address in the city")
    FILE = "file", gettext_lazy("File upload")
    DECLARATION = "declaration", gettext_lazy("Declaration to accept")


class FieldInvalid(ValueError):
    """An answer a field refuses; `message` is in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Words = dict[str, str]  # {"en": "...", "es": "..."}


def in_language(words: Words | None, language: str | None = None) -> str:
    """The text in the given (else the active) language, English when it has none."""
    if not words:
        return ""
    language = (language or get_language() or "en").split("-")[0]
    return words.get(language) or words.get("en", "")


@dataclass(frozen=True)
class Choice:
    key: str
    label: Words


@dataclass(frozen=True)
class ShowIf:
    """Show a field only when an earlier field's answer is (or, for multiple choice, includes) a value."""

    field: str
    value: str


@dataclass(frozen=True)
class Place:
    """An address found in the city: what the geocoder made of the typed words."""

    label: str
    lat: float
    lng: float


# Finds a typed address in the city (None when it is not found there); the service supplies it.
Locator = Callable[[str], Place | None]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a published form version, as its schema holds it."""

    key: str
    kind: Kind
    label: Words
    help: Words = field(default_factory=dict)
    required: bool = False
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    show_if: ShowIf | None = None

    @classmethod
    def from_schema(cls, data: dict[str, Any]) -> FieldSpec:
        show_if = data.get("show_if")
        return cls(
            key=data["key"],
            kind=Kind(data["kind"]),
            label=data.get("label") or {},
            help=data.get("help") or {},
            required=bool(data.get("required")),
            choices=tuple(Choice(c["key"], c.get("label") or {}) for c in data.get("choices") or ()),
            minimum=data.get("min"),
            maximum=data.get("max"),
            show_if=ShowIf(show_if["field"], show_if["value"]) if show_if else None,
        )


class FieldType:
    """The rules of one type. `clean` gets a non-empty answer; emptiness is judged once, in `clean_answer`."""

    kind: ClassVar[Kind]
    many: ClassVar[bool] = False  # the answer is a list (several choices, several files)

    def __init__(self, spec: FieldSpec, *, locate: Locator | None = None, today: date | None = None) -> None:
        self.spec = spec
        self.locate = locate
        self.today = today or date.today()

    def clean(self, raw: Any) -> Any:
        raise NotImplementedError

    def text(self, raw: Any, limit: int) -> str:
        if not isinstance(raw, str):
            raise FieldInvalid(_("Enter text."))
        value = raw.strip()
        if "\x00" in value:
            raise FieldInvalid(_("Remove the invisible characters from this answer."))
        if len(value) > limit:
            raise FieldInvalid(
                _("Use at most %(count)d characters (this has %(length)d).") % {"count": limit, "length": len(value)}
            )
        return value


class TextType(FieldType):
    kind = Kind.TEXT
    limit = bounds.MAX_SHORT_TEXT

    def clean(self, raw: Any) -> Any:
        value = self.text(raw, min(self.spec.maximum or self.limit, self.limit))
        if self.spec.minimum and len(value) < self.spec.minimum:
            raise FieldInvalid(_("Use at least %(count)d characters.") % {"count": self.spec.minimum})
        return value


class LongTextType(TextType):
    kind = Kind.LONG_TEXT
    limit = bounds.MAX_LONG_TEXT


class NumberType(FieldType):
    kind = Kind.NUMBER

    def clean(self, raw: Any) -> Any:
        # A saved answer is a number already: the submission judges the saved answers again.
        typed = str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else self.text(raw, 40)
        try:
            number = Decimal(typed.replace(",", ""))
        except InvalidOperation:
            raise FieldInvalid(_("Enter a number, such as 12 or 2.5.")) from None
        if not number.is_finite() or abs(number) > bounds.NUMBER_LIMIT:
            raise FieldInvalid(_("Enter a number, such as 12 or 2.5."))
        low, high = self.spec.minimum, self.spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise FieldInvalid(_out_of_range(low, high))
        return int(number) if number == number.to_integral_value() else float(number)


def _out_of_range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if low is not None:
        return _("Enter a number of at least %(low)s.") % {"low": low}
    return _("Enter a number of at most %(high)s.") % {"high": high}


class DateType(FieldType):
    """A calendar date; `min`/`max` are days from today (14: at least two weeks ahead; -365: within a year)."""

    kind = Kind.DATE

    def clean(self, raw: Any) -> Any:
        try:
            day = date.fromisoformat(self.text(raw, 10))
        except ValueError:
            raise FieldInvalid(_("Enter a date as year-month-day, such as 2027-03-14.")) from None
        if not bounds.FIRST_YEAR <= day.year <= bounds.LAST_YEAR:
            raise FieldInvalid(
                _("Enter a date between %(first)d and %(last)d.")
                % {"first": bounds.FIRST_YEAR, "last": bounds.LAST_YEAR}
            )
        if self.spec.minimum is not None and day < self.today + timedelta(days=self.spec.minimum):
            earliest = self.today + timedelta(days=self.spec.minimum)
            raise FieldInvalid(_("Choose %(day)s or later.") % {"day": earliest.isoformat()})
        if self.spec.maximum is not None and day > self.today + timedelta(days=self.spec.maximum):
            latest = self.today + timedelta(days=self.spec.maximum)
            raise FieldInvalid(_("Choose %(day)s or earlier.") % {"day": latest.isoformat()})
        return day.isoformat()


class ChoiceType(FieldType):
    kind = Kind.CHOICE

    def one(self, raw: Any) -> str:
        keys = {choice.key for choice in self.spec.choices}
        if not isinstance(raw, str) or raw not in keys:
            raise FieldInvalid(_("Choose one of the answers listed."))
        return raw

    def clean(self, raw: Any) -> Any:
        return self.one(raw)


class MultipleChoiceType(ChoiceType):
    """Several answers; `min`/`max` bound how many."""

    kind = Kind.MULTIPLE_CHOICE
    many = True

    def clean(self, raw: Any) -> Any:
        picked = raw if isinstance(raw, list | tuple) else [raw]
        chosen = {self.one(item) for item in picked}
        if self.spec.minimum and len(chosen) < self.spec.minimum:
            raise FieldInvalid(_("Choose at least %(count)d.") % {"count": self.spec.minimum})
        if self.spec.maximum and len(chosen) > self.spec.maximum:
            raise FieldInvalid(_("Choose at most %(count)d.") % {"count": self.spec.maximum})
        return [choice.key for choice in self.spec.choices if choice.key in chosen]  # in the form's order


class YesNoType(FieldType):
    kind = Kind.YES_NO

    def clean(self, raw: Any) -> Any:
        if raw in ("yes", True):
            return True
        if raw in ("no", False):
            return False
        raise FieldInvalid(_("Choose yes or no."))


class EmailType(FieldType):
    kind = Kind.EMAIL

    def clean(self, raw: Any) -> Any:
        value = self.text(raw, 254)
        if not is_email(value):
            raise FieldInvalid(_("Enter an email address, such as name@example.com."))
        return value


class PhoneType(FieldType):
    kind = Kind.PHONE

    def clean(self, raw: Any) -> Any:
        value = self.text(raw, 40)
        if not is_phone(value):
            raise FieldInvalid(str(PHONE_MESSAGE))
        return value


class AddressType(FieldType):
    """An address placed on the city's map, as a report's location is: found by the geocoder, inside the city."""

    kind = Kind.ADDRESS

    def clean(self, raw: Any) -> Any:
        if isinstance(raw, dict) and {"text", "label", "lat", "lng"} <= raw.keys():
            raw = raw["text"]  # a saved answer comes back as it was stored: place it again
        typed = self.text(raw, bounds.MAX_ADDRESS)
        place = self.locate(typed) if self.locate else None
        if place is None:
            raise FieldInvalid(_("We could not find this address in the city. Check the number and the street."))
        return {"text": typed, "label": place.label, "lat": round(place.lat, 6), "lng": round(place.lng, 6)}


class FileType(FieldType):
    """Supporting documents: the answer lists the stored files (the upload service checks each file's bytes)."""

    kind = Kind.FILE
    many = True

    def clean(self, raw: Any) -> Any:
        files = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in files):
            raise FieldInvalid(_("Upload the file again."))
        limit = min(self.spec.maximum or bounds.MAX_FILES_PER_FIELD, bounds.MAX_FILES_PER_FIELD)
        if len(files) > limit:
            raise FieldInvalid(_("Attach at most %(count)d files here.") % {"count": limit})
        return files


class DeclarationType(FieldType):
    """A statement the person accepts by ticking it (the label is the statement)."""

    kind = Kind.DECLARATION

    def clean(self, raw: Any) -> Any:
        if raw in ("yes", "on", True):
            return True
        raise FieldInvalid(_("Tick the box to accept this statement."))


TYPES: dict[Kind, type[FieldType]] = {
    cls.kind: cls
    for cls in (
        TextType,
        LongTextType,
        NumberType,
        DateType,
        ChoiceType,
        MultipleChoiceType,
        YesNoType,
        EmailType,
        PhoneType,
        AddressType,
        FileType,
        DeclarationType,
    )
}


def field_for(spec: FieldSpec, *, locate: Locator | None = None, today: date | None = None) -> FieldType:
    return TYPES[spec.kind](spec, locate=locate, today=today)


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | dict):
        return not raw
    return isinstance(raw, float) and math.isnan(raw)


def visible(spec: FieldSpec, answers: dict[str, Any]) -> bool:
    """Whether a field is asked, given the answers so far (a hidden field is neither required nor kept)."""
    if spec.show_if is None:
        return True
    answer = answers.get(spec.show_if.field)
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"
    if isinstance(answer, list):
        return spec.show_if.value in answer
    return answer == spec.show_if.value


def clean_answers(
    specs: Sequence[FieldSpec],
    raw: dict[str, Any],
    *,
    complete: bool,
    locate: Locator | None = None,
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every answer judged in form order: (the answers to keep, the errors by field key).

    `complete` asks every required visible field to be answered (a submission); a draft keeps what
    is valid so far and reports only malformed answers. Answers to hidden fields are dropped.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if not visible(spec, answers):
            continue
        value = raw.get(spec.key)
        if is_empty(value):
            if complete and spec.required:
                errors[spec.key] = _required_message(spec)
            continue
        try:
            answers[spec.key] = field_for(spec, locate=locate, today=today).clean(value)
        except FieldInvalid as invalid:
            errors[spec.key] = invalid.message
    return answers, errors


def _required_message(spec: FieldSpec) -> str:
    match spec.kind:
        case Kind.FILE:
            return _("Attach a file here.")
        case Kind.DECLARATION:
            return _("Tick the box to accept this statement.")
        case Kind.CHOICE | Kind.MULTIPLE_CHOICE | Kind.YES_NO:
            return _("Choose an answer.")
        case _:
            return _("Answer this question.")


def read_back(spec: FieldSpec, value: Any) -> str:
    """An answer as a person reads it back (the applicant, a reviewer), in the active language."""
    if value is None or value == "" or value == []:
        return _("Not answered")
    match spec.kind:
        case Kind.CHOICE | Kind.MULTIPLE_CHOICE:
            picked = value if isinstance(value, list) else [value]
            return ", ".join(in_language(c.label) for c in spec.choices if c.key in picked)
        case Kind.YES_NO:
            return _("Yes") if value in (True, "yes") else _("No")
        case Kind.DECLARATION:
            return _("Accepted") if value is True else _("Not answered")
        case Kind.DATE:
            try:
                return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
            except ValueError:
                return str(value)
        case Kind.ADDRESS:
            return str(value.get("label") or value.get("text")) if isinstance(value, dict) else str(value)
        case Kind.FILE:
            return ", ".join(str(item.get("name", "")) for item in value) if isinstance(value, list) else ""
        case _:
            return str(value)
