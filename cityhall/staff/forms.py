"""Staff forms: they parse what a person sent; the domain services decide whether it is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.accounts.selectors import active_staff_of, active_staff_with_second_factor
from cityhall.applications.models import DigitalService
from cityhall.applications.selectors import services_offered
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Crew, Department, ResponseTemplate, Service
from cityhall.documents.bounds import MAX_MEMO_SIGNERS
from cityhall.documents.bounds import MAX_REASON as MAX_MEMO_REASON
from cityhall.documents.memos import ACTIONS as MEMO_ACTIONS
from cityhall.documents.models import Document
from cityhall.documents.problems import Problem as MemoProblem
from cityhall.geo import geocoding
from cityhall.requests.bounds import BOUNDS, MAX_TEXT, form_kwargs
from cityhall.requests.models import Channel, Priority, ServiceRequest
from cityhall.requests.workflow import RESOLUTIONS, Resolution

from .numbers import assignee_ids


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more photos; the media pipeline checks what they really are."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


def answers_from(data: QueryDict) -> dict[str, list[str]]:
    """Answers to a category's questions, posted as attribute[CODE] (the Open311 names)."""
    return {
        key[len("attribute[") : -1]: data.getlist(key)
        for key in data
        if key.startswith("attribute[") and key.endswith("]")
    }


class ActionForm(forms.Form):
    """Every field any staff action may carry; which ones matter depends on the action (workflow.Need)."""

    action = forms.CharField()
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Department")
    )
    assignee = forms.CharField(required=False, max_length=32, label=_("Assign to"))  # a person's id or crew-<id>
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Category")
    )
    resolution = forms.TypedChoiceField(
        choices=[("", "—"), *[(r.value, r.value) for r in Resolution]],
        coerce=Resolution,
        empty_value=None,
        required=False,
        label=_("How was it resolved?"),
    )
    template: forms.ModelChoiceField[ResponseTemplate] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Template")
    )
    public_note = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea, label=_("Reply"))
    internal_note = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea, label=_("Note"))
    reason = forms.CharField(required=False, max_length=BOUNDS["reason"].max_length, label=_("Reason"))
    referred_to = forms.CharField(required=False, max_length=BOUNDS["referred_to"].max_length, label=_("Agency"))
    referral_url = forms.URLField(
        required=False, max_length=BOUNDS["referral_url"].max_length, assume_scheme="https", label=_("Link")
    )
    duplicate_of = forms.CharField(required=False, max_length=32, label=_("Duplicate of request number"))
    photos = PhotosField(label=_("Photos"))
    next = forms.CharField(required=False)

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = catalogue.departments_of(service_request.jurisdiction_id)
        fields["department"].empty_label = _("Choose a department")  # a prompt, not "---------"
        self.people = active_staff_of(service_request.department_id)
        self.crews = catalogue.assignable_crews(service_request.department_id)
        fields["service"].queryset = catalogue.active_services_of(service_request.jurisdiction_id)
        fields["template"].queryset = catalogue.response_templates_for(
            service_request.service, service_request.language
        )
        fields["resolution"].choices = [("", "—"), *resolution_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["assignee"], data["crew"] = self._assignment(data.get("assignee") or "")
        template = data.get("template")
        if template is not None and not (data.get("public_note") or "").strip():
            data["public_note"] = template.reply_text  # chosen without JavaScript: send the template as it is
        return data

    def _assignment(self, choice: str) -> tuple[User | None, Crew | None]:
        """A person, or a crew (the service keeps the crew on the request when the person is one of it)."""
        if not choice:
            return None, None
        person, crew = parse_assignee(choice, self.people, self.crews)
        if person is None and crew is None:
            self.add_error("assignee", _("Choose a member of staff or a crew of this department."))
        return person, crew


def parse_assignee(choice: str, people: Any, crews: Any) -> tuple[User | None, Crew | None]:
    """The "assign to" value of the staff pages: a person's id, or "crew-" and a crew's id, among those offered."""
    person_id, crew_id = assignee_ids(choice)
    person = people.filter(pk=person_id).first() if person_id is not None else None
    return person, crews.filter(pk=crew_id).first() if crew_id is not None else None


def resolution_choices() -> list[tuple[str, Any]]:
    return [(kind.value, info.label) for kind, info in RESOLUTIONS.items()]


OUTCOMES = [
    ("route", _("Route to a department")),
    ("duplicate", _("Duplicate of an earlier request")),
    ("refer", _("Refer to another agency")),
    ("reject", _("Not actionable")),
]


class TriageForm(forms.Form):
    """The one-step triage decision."""

    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.RadioSelect, label=_("Decision"))
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(queryset=None, label=_("Category"))
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, label=_("Priority"))
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Department")
    )
    duplicate_of = forms.CharField(required=False, max_length=32, label=_("Duplicate of request number"))
    referred_to = forms.CharField(required=False, max_length=BOUNDS["referred_to"].max_length, label=_("Agency"))
    referral_url = forms.URLField(
        required=False,
        max_length=BOUNDS["referral_url"].max_length,
        assume_scheme="https",
        label=_("Link to the agency"),
    )
    public_note = forms.CharField(
        required=False, max_length=MAX_TEXT, widget=forms.Textarea, label=_("Note to the resident")
    )
    reason = forms.CharField(required=False, max_length=BOUNDS["reason"].max_length, label=_("Reason"))

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service"].queryset = catalogue.active_services_of(service_request.jurisdiction_id)
        fields["department"].queryset = catalogue.departments_of(service_request.jurisdiction_id)
        fields["department"].empty_label = _("Choose a department")  # a prompt, not "---------"
        fields["priority"].choices = priority_choices()
        if not self.is_bound:
            self.initial.update(
                outcome="route",
                service=service_request.service_id,
                priority=service_request.priority,
                department=service_request.service.default_department_id,
            )


def priority_choices() -> list[tuple[int, Any]]:
    return [(value, str(Priority(value).label)) for value in Priority.values]


class CallerForm(forms.Form):
    """A request taken by phone or at the desk: the resident's report, plus the channel and the caller."""

    channel = forms.ChoiceField(
        choices=[(Channel.PHONE.value, _("Phone call")), (Channel.WALK_IN.value, _("Walk-in"))],
        widget=forms.RadioSelect,
        label=_("How did the caller reach us?"),
    )
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(queryset=None, label=_("Category"))
    description = forms.CharField(
        required=False, widget=forms.Textarea, label=_("What is the problem?"), **form_kwargs("description")
    )
    address = forms.CharField(required=False, label=_("Address"), **form_kwargs("address_string"))
    location_description = forms.CharField(
        required=False, label=_("Or describe the place"), **form_kwargs("location_description")
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    caller_name = forms.CharField(required=False, label=_("Caller's name"), **form_kwargs("name"))
    caller_email = forms.CharField(
        required=False, widget=forms.EmailInput, label=_("Caller's email"), **form_kwargs("email")
    )
    caller_phone = forms.CharField(required=False, label=_("Caller's phone"), **form_kwargs("phone"))
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args: Any, jurisdiction_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service"].queryset = catalogue.active_services_of(jurisdiction_id)
        fields["photos"].widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self) -> dict[str, Any]:
        """An address the caller gives is found on the map, so the request gets a zone, routing and neighbors."""
        data = super().clean() or {}
        service = data.get("service")
        if service is not None and data.get("lat") is None and data.get("address"):
            found = geocoding.locate(service.jurisdiction, data["address"])
            if found is not None:
                data["lat"], data["lng"], data["address"] = found.lat, found.lng, found.label
        return data


# The memo's signers, in the order they sign: one choice per place, the first required (docs/documents.md).
SIGNER_PLACES = (
    _("Signs first"),
    _("Signs second"),
    _("Signs third"),
    _("Signs fourth"),
    _("Signs fifth"),
)


class MemoForm(forms.Form):
    """A memo to route for signatures: its title, its PDF and who signs it, in order. The service checks it all."""

    title = forms.CharField(max_length=Document._meta.get_field("title").max_length, label=_("Title"))
    pdf = forms.FileField(
        label=_("The memo (a PDF)"),
        help_text=_("An unsigned PDF without a password, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf", "aria-describedby": "memo_pdf-help"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = active_staff_with_second_factor()
        for place, label in enumerate(SIGNER_PLACES[:MAX_MEMO_SIGNERS], start=1):
            self.fields[f"signer_{place}"] = forms.ModelChoiceField(
                queryset=people,
                required=place == 1,
                label=label,
                empty_label=_("Choose a person") if place == 1 else _("Nobody"),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: set[int] = set()
        for name in self.signer_fields():
            person = cleaned.get(name)
            if person is not None and person.pk in seen:
                self.add_error(name, MemoProblem.SIGNER_TWICE.label)
            elif person is not None:
                seen.add(person.pk)
        return cleaned

    def signer_fields(self) -> list[str]:
        return [name for name in self.fields if name.startswith("signer_")]

    def signers(self) -> list[User]:
        """The chosen signers in order, empty places left out."""
        return [person for name in self.signer_fields() if (person := self.cleaned_data.get(name)) is not None]

    def describe_errors(self) -> None:
        """Ties each field's error to its input, so a screen reader reads it with the field."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described = " ".join(filter(None, [f"{self[name].auto_id}-error", attrs.get("aria-describedby")]))
                attrs.update({"aria-invalid": "true", "aria-describedby": described})


class MemoActionForm(forms.Form):
    """Sign, decline (with a reason) or withdraw a memo."""

    action = forms.ChoiceField(choices=[(action, action) for action in MEMO_ACTIONS])
    reason = forms.CharField(
        required=False, max_length=MAX_MEMO_REASON, widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason")
    )


class PaperApplicationForm(forms.Form):
    """A resident's paper application, keyed in: the service, who applied, and the scan of the signed form."""

    service: forms.ModelChoiceField[DigitalService] = forms.ModelChoiceField(
        queryset=None, label=_("Service applied for"), empty_label=_("Choose a service")
    )
    applicant_name = forms.CharField(label=_("Applicant's name, as written on the form"), max_length=150)
    applicant_email = forms.EmailField(
        label=_("Applicant's email, as written on the form"),
        max_length=254,
        help_text=_("The application goes on their account (made for them if they have none): they follow it online."),
    )
    language = forms.ChoiceField(
        choices=[("en", "English"), ("es", "Español")], label=_("Language the applicant wrote in"), initial="en"
    )
    scan = forms.FileField(
        label=_("Scan of the signed paper form"), help_text=_("A PDF or a photo, up to 15 MB."), allow_empty_file=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["service"].queryset = services_offered()
        fields["scan"].widget.attrs["accept"] = "application/pdf,image/*"
