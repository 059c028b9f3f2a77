"""The city admin builds digital services here, with no code: sections, typed fields, then "Publish".

Publishing snapshots the working form into a new version (services.form_publish); versions and
applications are read-only here, so nothing an admin does changes a past submission.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from cityhall.accounts.models import User
from cityhall.core.read_only_admin import ReadOnlyAdmin

from .models import Application, DigitalService, FormField, FormSection, FormVersion, WorkflowStep
from .schema import SchemaInvalid
from .services import form_publish


class FormSectionInline(TranslationTabularInline[FormSection, DigitalService]):
    model = FormSection
    extra = 0
    show_change_link = True


class WorkflowStepInline(TranslationTabularInline[WorkflowStep, DigitalService]):
    """The approval steps: published with the form, so editing them never changes an application in flight."""

    model = WorkflowStep
    extra = 0
    fields = ("stage", "position", "name", "instructions", "department", "role", "sla_business_days")


@admin.register(DigitalService)
class DigitalServiceAdmin(TranslationAdmin[DigitalService]):
    list_display = ("name", "code", "department", "is_active", "position")
    inlines = (FormSectionInline, WorkflowStepInline)
    actions = ("publish",)

    @admin.action(description=_("Publish the working form as a new version"))
    def publish(self, request: HttpRequest, queryset: QuerySet[DigitalService]) -> None:
        by = request.user if isinstance(request.user, User) else None
        for service in queryset:
            try:
                version = form_publish(service, by=by)
            except SchemaInvalid as invalid:
                self.message_user(request, f"{service.code}: {invalid}", messages.ERROR)
            else:
                published = _("%(code)s: version %(number)s published.")
                self.message_user(request, published % {"code": service.code, "number": version.number})


class FormFieldInline(TranslationTabularInline[FormField, FormSection]):
    model = FormField
    extra = 1


@admin.register(FormSection)
class FormSectionAdmin(TranslationAdmin[FormSection]):
    list_display = ("title", "service", "position")
    list_filter = ("service",)
    inlines = (FormFieldInline,)


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyAdmin):
    list_display = ("service", "number", "published_at", "published_by")
    list_filter = ("service",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "service", "status", "channel", "updated_at", "document_number")
    list_filter = ("service", "status", "channel")
