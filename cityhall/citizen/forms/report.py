"""The report form: the category's questions, where, photos, description and contact details.

The questions are built from the category's definition, one Django field per Open311 datatype, so
that a resident gets a message in their own language for a missing or malformed answer; the
service (`service_request_submit`, which reuses `cityhall/requests/attributes.py`) stays the judge
of what is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.catalogue.models import Service, ServiceAttribute
from cityhall.catalogue.selectors import city_in_sentence
from cityhall.geo import geocoding
from cityhall.geo.lookup import jurisdiction_contains
from cityhall.media.pipeline import MAX_UPLOAD_BYTES
from cityhall.requests.bounds import MAX_SHORT_TEXT, MAX_TEXT, form_kwargs
from cityhall.requests.photos import MAX_PHOTOS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Datatype = ServiceAttribute.Datatype
# Beyond this many choices a single-answer question is a drop-down instead of radio buttons.
RADIO_LIMIT = 7
# The code of an error whose words say what it is about ("Tell us where: …"): the error summary names
# the field before every other message, whose words ("This field is required.") do not.
SAYS_WHAT_IT_IS_ABOUT = "says_what_it_is_about"


def attribute_field_name(code: str) -> str:
    return f"attr_{code}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; the media pipeline sniffs and re-encodes them later."""

    widget = MultipleFileInput(attrs={"accept": "image/*,.heic,.heif", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(count)d photos, please.") % {"count": MAX_PHOTOS})
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is too large: photos may be up to 15 MB.") % {"name": upload.name}
                )
            if upload.size == 0:
                raise forms.ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
        return files


def _attribute_field(attribute: ServiceAttribute) -> forms.Field:
    common: dict[str, Any] = {
        "label": attribute.description,
        "required": attribute.required,
        "help_text": attribute.datatype_description,
    }
    choices: list[tuple[str, StrOrPromise]] = [(value.key, value.name) for value in attribute.values.all()]
    match attribute.datatype:
        case Datatype.NUMBER:
            return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}), **common)
        case Datatype.DATETIME:
            widget: forms.Widget | type[forms.Widget] = forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
            return forms.DateTimeField(widget=widget, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **common)
        case Datatype.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT, **common)
        case Datatype.SINGLEVALUELIST:
            widget = forms.RadioSelect if len(choices) <= RADIO_LIMIT else forms.Select
            if widget is forms.Select:
                choices = [("", _("Choose one")), *choices]
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        case Datatype.MULTIVALUELIST:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        case _:
            return forms.CharField(max_length=MAX_SHORT_TEXT, **common)


class ReportForm(forms.Form):
    """Everything a resident tells us about one problem, in the order they are asked."""

    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    saved_place = forms.TypedChoiceField(
        label=_("Saved place"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("Address or nearest corner"),
        help_text=_("A house number and street, a corner (“Main St & Pico Blvd”) or a place (“Tongva Park”)."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        **form_kwargs("address_string"),
    )
    place_description = forms.CharField(
        label=_("Describe the place"),
        help_text=_("For example: “bench by the pier stairs”."),
        required=False,
        **form_kwargs("location_description"),
    )
    photos = PhotosField(label=_("Photos"), required=False, help_text=_("Up to 6 photos, from the camera or gallery."))
    description = forms.CharField(
        label=_("What is the problem?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        **form_kwargs("description"),
    )
    name = forms.CharField(label=_("Your name"), required=False, **form_kwargs("name"))
    email = forms.CharField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **form_kwargs("email"),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        **form_kwargs("phone"),
    )

    def __init__(self, *args: Any, service: Service, user: Any, saved_places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.user = user
        self.saved_places = {place.pk: place for place in saved_places}
        saved_place = cast(forms.TypedChoiceField, self.fields["saved_place"])  # declared so above
        # Each called as the profile calls it (SavedPlace.__str__: its own name, else its kind's).
        saved_place.choices = [(pk, str(place)) for pk, place in self.saved_places.items()]
        if not saved_places:
            del self.fields["saved_place"]
        self.attribute_names: list[str] = []
        self.notes: list[str] = []
        self.placed: geocoding.Found | None = None  # the typed address, found on the map
        self.unplaced = ""  # the typed address, not found: the report still goes, with the words alone
        self.near: geocoding.Found | None = None  # the nearest address to a point from the GPS or the map
        for attribute in service.attributes.all():
            if not attribute.variable:
                self.notes.append(attribute.description)
                continue
            name = attribute_field_name(attribute.code)
            self.fields[name] = _attribute_field(attribute)
            self.attribute_names.append(name)
        if user.is_authenticated:
            for name in ("name", "email", "phone"):
                del self.fields[name]

    @property
    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names]

    @property
    def needs_contact(self) -> bool:
        return not self.service.anonymous_allowed and not self.user.is_authenticated

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        place = self.saved_places.get(data.get("saved_place")) if data.get("saved_place") else None
        if place is not None:
            data["lat"], data["lng"] = place.lat, place.lng
            data["address"] = data.get("address") or place.address
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None):
            data["lat"] = data["lng"] = None
            lat = lng = None
        lat, lng = self._place(data, lat, lng)
        if lat is not None and lng is not None and not jurisdiction_contains(self.service.jurisdiction, lat, lng):
            self._add_own_error("address", outside_message(self.service))
        elif lat is None and not (data.get("address") or data.get("place_description")) and not self._place_refused():
            self._add_own_error(
                "address",
                _("Tell us where: use your location, move the pin, type an address, or describe the place."),
            )
        if self.needs_contact and not (data.get("email") or data.get("phone")):
            self._add_own_error(
                "email",
                _("%(category)s needs a way to contact you: give an email or a phone number, or sign in.")
                % {"category": self.service.name},
            )
        return data

    def _add_own_error(self, field: str, message: StrOrPromise) -> None:
        self.add_error(field, forms.ValidationError(message, code=SAYS_WHAT_IT_IS_ABOUT))

    def _place(self, data: dict[str, Any], lat: float | None, lng: float | None) -> tuple[float | None, float | None]:
        """A typed address gets a point (then the same checks as a pin); a point gets its nearest address."""
        jurisdiction = self.service.jurisdiction
        address = data.get("address") or ""
        if lat is None and address:
            self.placed = geocoding.locate(jurisdiction, address)
            if self.placed is None:
                self.unplaced = address
                return None, None
            data["lat"], data["lng"], data["address"] = self.placed.lat, self.placed.lng, self.placed.label
            return self.placed.lat, self.placed.lng
        if lat is not None and lng is not None and not address and jurisdiction_contains(jurisdiction, lat, lng):
            self.near = geocoding.reverse(jurisdiction, lat, lng)
            if self.near is not None:
                data["address"] = geocoding.describe(self.near)
        return lat, lng

    def _place_refused(self) -> bool:
        """An address or description already refused (too long) says where; no second message for it."""
        return "address" in self.errors or "place_description" in self.errors

    def answers(self) -> dict[str, str | list[str]]:
        """The answers as the Open311 strings the service validates (keys by code)."""
        raw: dict[str, str | list[str]] = {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(name)
            if value is None or value in ("", []):
                continue
            code = name.removeprefix("attr_")
            if isinstance(value, list):
                raw[code] = value
            elif hasattr(value, "isoformat"):
                raw[code] = value.isoformat()
            elif isinstance(value, float):
                raw[code] = str(int(value)) if value.is_integer() else str(value)
            else:
                raw[code] = str(value)
        return raw


def outside_message(service: Service) -> str:
    return str(
        _(
            "This place is outside %(the_city)s, so the city can’t fix it. Please check the pin, "
            "or contact the city or county responsible for that place."
        )
        % {"the_city": city_in_sentence(service.jurisdiction)}
    )
