"""The profile's forms: details, a saved place, and the typed confirmation that deletes an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import SavedPlace, User
from cityhall.catalogue.selectors import site_city
from cityhall.core.contact import validate_phone
from cityhall.core.geometry import valid_coordinates
from cityhall.geo import geocoding
from cityhall.geo.lookup import jurisdiction_contains


class DetailsForm(forms.ModelForm[User]):
    """Name, phone (optional, for text messages) and the language of the site and of messages."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["name", "phone", "language"]
        labels = {"name": _("Your name"), "phone": _("Mobile phone (optional)")}
        help_texts = {"phone": _("Only for text messages about your requests. Never shown publicly.")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        }

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        validate_phone(phone)
        return phone


class PlaceForm(forms.Form):
    """A saved place: what to call it, its address, and a point inside the city this site serves.

    The address is enough: the city's geocoder places it, as the report form does, and keeps its own
    spelling of it. A point (from the map, the phone's location, or typed) is used as it is, the address
    then only naming it.
    """

    kind = forms.ChoiceField(label=_("Which place"), choices=SavedPlace.Kind.choices, initial=SavedPlace.Kind.HOME)
    label = forms.CharField(
        label=_("Name (for other places)"), max_length=60, required=False, help_text=_("For example: Mum's house")
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    lng = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SavedPlace.Kind.OTHER and not (data.get("label") or "").strip():
            self.add_error("label", _("Give this place a name, so you can tell it from the others."))
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None):
            self.add_error("lat", _("Give both the latitude and the longitude, or neither."))
        elif lat is not None and lng is not None:
            if not valid_coordinates(lat, lng):
                self.add_error("lat", _("Latitude must be between -90 and 90 and longitude between -180 and 180."))
            else:
                self._inside_the_city("lat", lat, lng)
        elif "address" in self.errors:
            pass  # already refused (too long)
        elif not (address := data.get("address") or "").strip():
            self.add_error("address", _("Type the address of the place."))
        elif (city := site_city()) is None or (found := geocoding.locate(city, address)) is None:
            self.add_error("address", _("We could not find this address in the city. Check the number and the street."))
        elif self._inside_the_city("address", found.lat, found.lng):
            data["address"], data["lat"], data["lng"] = found.label, found.lat, found.lng
        return data

    def _inside_the_city(self, field: str, lat: float, lng: float) -> bool:
        """Whether the point lies in the city this site serves; if not, the form says so at `field`."""
        if (city := site_city()) is not None and jurisdiction_contains(city, lat, lng):
            return True
        self.add_error(field, _("This place is outside the city, so reports from it cannot be taken here."))
        return False


class DeleteAccountForm(forms.Form):
    """Typing the account's email address is the deliberate act that deletes it."""

    email = forms.EmailField(label=_("Type your email address to confirm"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        typed: str = self.cleaned_data["email"].strip().lower()
        if typed != self.user.email.lower():
            raise forms.ValidationError(_("That is not the email address of this account."))
        return typed
