"""Every field type accepts a well-formed answer and refuses a malformed one, with words for a person."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from cityhall.applications import bounds
from cityhall.applications.fields import (
    TYPES,
    Choice,
    FieldInvalid,
    FieldSpec,
    Kind,
    Place,
    ShowIf,
    clean_answers,
    field_for,
)

TODAY = date(2027, 3, 1)
COLOURS = (Choice("red", {"en": "Red", "es": "Rojo"}), Choice("blue", {"en": "Blue", "es": "Azul"}))


def spec(kind: Kind, **options) -> FieldSpec:
    return FieldSpec(key="answer", kind=kind, label={"en": "Answer"}, **options)


def locate(text: str) -> Place | None:
    return Place("1685 Main St", 34.0115, -118.4916) if text.lower().startswith("1685 main") else None


def clean(field: FieldSpec, raw):
    return field_for(field, locate=locate, today=TODAY).clean(raw)


# (field, a valid answer, what is stored, an invalid answer)
CASES = [
    (spec(Kind.TEXT), "  Elm Street block party ", "Elm Street block party", "x" * (bounds.MAX_SHORT_TEXT + 1)),
    (spec(Kind.LONG_TEXT, minimum=5), "Three lines\nof text", "Three lines\nof text", "abc"),
    (spec(Kind.NUMBER, minimum=1, maximum=500), "120", 120, "501"),
    (spec(Kind.DATE, minimum=14), "2027-03-20", "2027-03-20", "2027-03-10"),
    (spec(Kind.CHOICE, choices=COLOURS), "blue", "blue", "green"),
    (spec(Kind.MULTIPLE_CHOICE, choices=COLOURS), ["blue", "red"], ["red", "blue"], ["red", "pink"]),
    (spec(Kind.YES_NO), "no", False, "maybe"),
    (spec(Kind.EMAIL), "resident@example.com", "resident@example.com", "resident@"),
    (spec(Kind.PHONE), "310-555-0100", "310-555-0100", "call me"),
    (
        spec(Kind.ADDRESS),
        "1685 Main St",
        {"text": "1685 Main St", "label": "1685 Main St", "lat": 34.0115, "lng": -118.4916},
        "1 Nowhere Lane",
    ),
    (spec(Kind.FILE), [{"id": "abc", "name": "plan.pdf"}], [{"id": "abc", "name": "plan.pdf"}], ["plan.pdf"]),
    (spec(Kind.DECLARATION), "yes", True, "no"),
]


@pytest.mark.parametrize(("field", "valid", "stored", "invalid"), CASES, ids=[case[0].kind for case in CASES])
def test_a_stored_answer_judged_again_stays_as_it_is(field, valid, stored, invalid):
    """The submission judges the saved answers again: a stored number or yes must not read as a bad one."""
    assert clean(field, stored) == stored


def test_every_type_has_a_case():
    assert {case[0].kind for case in CASES} == set(TYPES) == set(Kind)


@pytest.mark.parametrize(("field", "valid", "stored", "invalid"), CASES, ids=[case[0].kind for case in CASES])
def test_each_type_keeps_a_good_answer_and_refuses_a_bad_one(field, valid, stored, invalid):
    assert clean(field, valid) == stored
    with pytest.raises(FieldInvalid) as refused:
        clean(field, invalid)
    assert refused.value.message


@pytest.mark.parametrize("raw", ["abc", "nan", "inf", "1e400", str(bounds.NUMBER_LIMIT * 10)])
def test_numbers_refuse_what_is_not_a_plain_bounded_number(raw):
    with pytest.raises(FieldInvalid):
        clean(spec(Kind.NUMBER), raw)


def test_dates_refuse_impossible_days_and_other_formats():
    for raw in ("2027-02-30", "03/14/2027", "1850-01-01"):
        with pytest.raises(FieldInvalid):
            clean(spec(Kind.DATE), raw)


def test_multiple_choice_counts_are_bounded():
    with pytest.raises(FieldInvalid):
        clean(spec(Kind.MULTIPLE_CHOICE, choices=COLOURS, maximum=1), ["red", "blue"])


def test_messages_are_in_the_persons_language():
    with translation.override("es"), pytest.raises(FieldInvalid) as refused:
        clean(spec(Kind.EMAIL), "nope")
    assert "correo" in refused.value.message


def test_required_fields_wait_for_the_submission_and_hidden_fields_are_dropped():
    fields = [
        FieldSpec("closing", Kind.YES_NO, {"en": "Close the street?"}, required=True),
        FieldSpec("detour", Kind.LONG_TEXT, {"en": "Detour"}, required=True, show_if=ShowIf("closing", "yes")),
        FieldSpec("email", Kind.EMAIL, {"en": "Email"}),
    ]
    answers, errors = clean_answers(fields, {"detour": "by 4th St"}, complete=False, today=TODAY)
    assert (answers, errors) == ({}, {})  # a draft: nothing required yet, the detour is hidden
    answers, errors = clean_answers(fields, {"closing": "yes"}, complete=True, today=TODAY)
    assert set(errors) == {"detour"}
    answers, errors = clean_answers(fields, {"closing": "no", "detour": "by 4th St"}, complete=True, today=TODAY)
    assert answers == {"closing": False} and errors == {}
    answers, errors = clean_answers(fields, {"email": "bad"}, complete=False, today=TODAY)
    assert set(errors) == {"email"}
