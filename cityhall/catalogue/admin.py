"""The city admin edits all policy here, without a developer.

Text residents and staff read (names, descriptions, questions, answers, replies) has a field per
language (cityhall/catalogue/translation.py); one left empty reads as English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from cityhall.accounts.roles import WORKING_ROLES

from .models import (
    AttributeValue,
    Crew,
    Department,
    Jurisdiction,
    ResponseTemplate,
    RoutingRule,
    Service,
    ServiceAttribute,
    ServiceGroup,
    Zone,
)

if TYPE_CHECKING:
    from cityhall.accounts.models import User


@admin.register(Jurisdiction)
class JurisdictionAdmin(TranslationAdmin[Jurisdiction]):
    list_display = [
        "name", "jurisdiction_id", "timezone", "auto_close_days", "reopen_window_days", "anonymise_after_days"
    ]  # fmt: skip
    search_fields = ["name", "jurisdiction_id"]


@admin.register(Department)
class DepartmentAdmin(TranslationAdmin[Department]):
    list_display = ["name", "jurisdiction", "email", "phone"]
    list_filter = ["jurisdiction"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ServiceGroup)
class ServiceGroupAdmin(TranslationAdmin[ServiceGroup]):
    list_display = ["name", "jurisdiction", "order"]
    list_editable = ["order"]
    list_filter = ["jurisdiction"]
    search_fields = ["name"]


class ServiceAttributeInline(TranslationTabularInline[ServiceAttribute, Service]):
    model = ServiceAttribute
    extra = 0
    fields = ["order", "code", "description", "datatype", "required", "variable"]
    show_change_link = True


class RoutingRuleInline(admin.TabularInline[RoutingRule, Service]):
    model = RoutingRule
    extra = 0
    fields = ["zone", "department", "jurisdiction"]
    autocomplete_fields = ["zone", "department"]


@admin.register(Service)
class ServiceAdmin(TranslationAdmin[Service]):
    list_display = [
        "name",
        "code",
        "group",
        "default_department",
        "sla_hours",
        "type",
        "active",
        "is_private",
        "sensitive",
    ]
    list_filter = [
        "jurisdiction",
        "active",
        "type",
        "is_private",
        "sensitive",
        "urgent",
        "closure_needs_photo",
        "group",
        "default_department",
    ]
    list_editable = ["active"]
    search_fields = ["name", "code", "keywords", "description"]
    autocomplete_fields = ["group", "default_department"]
    inlines = [ServiceAttributeInline, RoutingRuleInline]
    fieldsets = [
        (None, {"fields": ["jurisdiction", "code", "name", "description", "group", "keywords", "type"]}),
        (
            _("Policy"),
            {
                "fields": [
                    "default_department",
                    "sla_hours",
                    "closure_needs_photo",
                    "anonymous_allowed",
                    "is_private",
                    "sensitive",
                    "urgent",
                    "active",
                ]
            },
        ),
    ]


class AttributeValueInline(TranslationTabularInline[AttributeValue, ServiceAttribute]):
    model = AttributeValue
    extra = 1
    fields = ["order", "key", "name"]


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(TranslationAdmin[ServiceAttribute]):
    list_display = ["code", "service", "datatype", "required", "order"]
    list_filter = ["datatype", "required", "service__jurisdiction"]
    search_fields = ["code", "description", "service__name", "service__code"]
    autocomplete_fields = ["service"]
    inlines = [AttributeValueInline]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin[Zone]):
    list_display = ["name", "kind", "jurisdiction"]
    list_filter = ["jurisdiction", "kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["service", "zone", "department", "jurisdiction"]
    list_filter = ["jurisdiction", "zone", "department"]
    search_fields = ["service__name", "service__code", "zone__name", "department__name"]
    autocomplete_fields = ["service", "zone", "department"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TranslationAdmin[ResponseTemplate]):
    list_display = ["title", "service", "jurisdiction", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["jurisdiction", "active", "service__group"]
    search_fields = ["title", "text", "service__name"]
    autocomplete_fields = ["service"]


class CrewForm(forms.ModelForm[Crew]):
    """A crew's members work its department's requests, so they must belong to that department."""

    class Meta:
        model = Crew
        fields = ["department", "name", "members", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        department, members = cleaned.get("department"), cleaned.get("members") or []
        strangers = [str(person) for person in members if department and person.department_id != department.pk]
        if strangers:
            refusal = _("Not staff of %(department)s: %(people)s.")
            self.add_error("members", refusal % {"department": department, "people": ", ".join(strangers)})
        return cleaned


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin[Crew]):
    form = CrewForm
    list_display = ["name", "department", "active"]
    list_filter = ["department__jurisdiction", "department", "active"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["members"]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name != "members":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        # Only staff who work in the field or run it, never residents; grouped and labelled by
        # department, as a crew takes its members from one (the form refuses the others).
        people = cast("type[User]", db_field.related_model)  # Crew.members: the account model
        kwargs["queryset"] = (
            people.objects.filter(role__in=WORKING_ROLES, is_active=True)
            .select_related("department")
            .order_by("department__name", "name", "email")
        )
        kwargs["form_class"] = MemberChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MemberChoiceField(forms.ModelMultipleChoiceField["User"]):
    """Staff labelled with their department, as a crew takes its members from one."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.department or _('no department')})"
