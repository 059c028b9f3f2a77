"""The requester's forms on a tracking page: "Not fixed" (reason and photo) and feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.requests.bounds import MAX_COMMENT

MAX_REASON = 1000


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        help_text=_("For example: the pothole was filled but has opened again."),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Tell us what is still wrong, so the crew knows what to look at."),
            "max_length": _("Please keep the reason under %(limit_value)d characters."),
        },
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        error_messages={"invalid": _("This file could not be read. Please choose a photo.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "reopen-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


RATINGS = [
    (5, _("5 – Very good")),
    (4, _("4 – Good")),
    (3, _("3 – Fair")),
    (2, _("2 – Poor")),
    (1, _("1 – Very poor")),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How did the city do?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Anything you want to tell the department? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the comment under %(limit_value)d characters.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
