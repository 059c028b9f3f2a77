"""The words of a digital service's working form, per language (django-modeltranslation, as the catalogue's).

Publishing copies every language's text, the approval steps' too, into the version's schema (`schema.snapshot`).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import DigitalService, FormField, FormSection, WorkflowStep


@register(DigitalService)
class DigitalServiceTranslation(TranslationOptions):
    fields = ("name", "description", "decision_title")


@register(FormSection)
class FormSectionTranslation(TranslationOptions):
    fields = ("title", "help_text")


@register(FormField)
class FormFieldTranslation(TranslationOptions):
    fields = ("label", "help_text", "choices")


@register(WorkflowStep)
class WorkflowStepTranslation(TranslationOptions):
    fields = ("name", "instructions")
