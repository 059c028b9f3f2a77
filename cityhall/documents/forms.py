"""The two ways into /verify: a PDF to check, or a document number to look up."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Document


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("A PDF to check"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )

    def clean_document(self) -> bytes:
        upload = self.cleaned_data["document"]
        limit = settings.CITYHALL_VERIFY_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s: no document of the city is that large."),
                params={"limit": filesizeformat(limit)},
            )
        data: bytes = upload.read(limit + 1)
        return data


class NumberForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        max_length=Document._meta.get_field("number").max_length,
        help_text=_("As printed under the title, for example 2026-7KQ4-M2XD."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()
