"""Forms of the preferences page and the follow form; every message in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Service, Zone

from .areas import RADIUS_CHOICES
from .models import Channel, Delivery, Topic


class PreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should we reach you?"),
        widget=forms.RadioSelect,
        choices=[
            (Channel.EMAIL.value, _("Email")),
            (Channel.SMS.value, _("Text message (SMS) to the phone in your profile")),
            (Channel.PUSH.value, _("Notifications on the devices where you turned them on")),
        ],
    )
    delivery = forms.ChoiceField(label=_("When?"), widget=forms.RadioSelect, choices=Delivery.choices)
    topics = forms.MultipleChoiceField(
        label=_("What should we tell you about your requests and the ones you support or follow?"),
        widget=forms.CheckboxSelectMultiple,
        choices=Topic.choices,
        required=False,
    )
    staff_digest = forms.BooleanField(label=_("A daily summary of my open and overdue work"), required=False)
    weekly_digest = forms.BooleanField(
        label=_("A weekly digest of my department's figures, by email on Monday morning"), required=False
    )

    def __init__(
        self, *args: Any, has_phone: bool, push_on: bool, is_staff: bool, is_supervisor: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_phone, self.push_on = has_phone, push_on
        if not push_on:  # web push is off on this site: not a choice
            field = self.fields["channel"]
            field.choices = [choice for choice in field.choices if choice[0] != Channel.PUSH]  # type: ignore[attr-defined]
        if not is_staff:
            del self.fields["staff_digest"]
        if not is_supervisor:  # only supervisors get the weekly digest (services/weekly_digests.py)
            del self.fields["weekly_digest"]

    def clean_channel(self) -> str:
        channel = str(self.cleaned_data["channel"])
        if channel == Channel.SMS and not self.has_phone:
            raise forms.ValidationError(_("Add a phone number to your profile first, or choose another way."))
        if channel == Channel.PUSH and not self.push_on:
            raise forms.ValidationError(_("Notifications on devices are not available on this site."))
        return channel


class AreaAlertForm(forms.Form):
    prefix = "area"  # it shares the page with the preferences form: distinct names and ids
    kind = forms.ChoiceField(
        label=_("Which area?"),
        widget=forms.RadioSelect,
        choices=[("zone", _("A neighborhood")), ("circle", _("Around a point"))],
        initial="zone",
    )
    # The choices are read from the catalogue when the form is made (__init__).
    zone: forms.ModelChoiceField[Zone] = forms.ModelChoiceField(
        label=_("Neighborhood"), queryset=None, required=False, empty_label=_("Choose a neighborhood")
    )  # a prompt, not Django's "---------"
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    lng = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    radius_m = forms.TypedChoiceField(
        label=_("Distance"),
        coerce=int,
        choices=[(metres, _("%(metres)s m") % {"metres": metres}) for metres in RADIUS_CHOICES],
        initial=500,
        required=False,
    )
    services: forms.ModelMultipleChoiceField[Service] = forms.ModelMultipleChoiceField(
        label=_("Categories (none chosen: all of them)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery = forms.ChoiceField(
        label=_("When?"), widget=forms.RadioSelect, choices=Delivery.choices, initial="instant"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = catalogue.zones_by_name()  # type: ignore[attr-defined]
        self.fields["services"].queryset = catalogue.public_active_services()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "zone" and not data.get("zone"):
            self.add_error("zone", _("Choose a neighborhood."))
        if data.get("kind") == "circle":
            if data.get("lat") is None or data.get("lng") is None:
                self.add_error("lat", _("Give the point's latitude and longitude, or use your location."))
            if not data.get("radius_m"):
                self.add_error("radius_m", _("Choose a distance."))
        return data


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
