"""Catalogue text residents and staff read, kept per language (django-modeltranslation).

Each field listed here gets a column per language in settings.LANGUAGES (name_en, name_es…); reading
`service.name` gives the active language's text, or the English one when that language is empty.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AttributeValue,
    Department,
    Jurisdiction,
    ResponseTemplate,
    Service,
    ServiceAttribute,
    ServiceGroup,
)


@register(Jurisdiction)
class JurisdictionTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)


@register(ServiceGroup)
class ServiceGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "keywords")


@register(ServiceAttribute)
class ServiceAttributeTranslation(TranslationOptions):
    fields = ("description", "datatype_description")


@register(AttributeValue)
class AttributeValueTranslation(TranslationOptions):
    fields = ("name",)


@register(ResponseTemplate)
class ResponseTemplateTranslation(TranslationOptions):
    fields = ("title", "text")
