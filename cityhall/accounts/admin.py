from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityhall.core.admin_widgets import LABELLED_DATE_TIMES

from .emails import mark_email_verified
from .models import FailedSignIn, User
from .sign_in_log import email_fingerprint

# The admin has no sign-in of its own: it sends people to allauth's, with its rate limits, logging and MFA.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # the hook allauth documents


@admin.register(User)
class UserAdmin(BaseUserAdmin[Any]):  # the stubs bind it to AbstractUser; ours is AbstractBaseUser
    ordering = ["email"]
    list_display = ["email", "name", "role", "department", "is_active", "last_login"]
    list_filter = ["role", "department", "is_active", "is_staff"]
    search_fields = ["email", "name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "phone", "language"]}),
        (_("Role"), {"fields": ["role", "department", "is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "role", "department", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The admin typed the address: the city vouches for it, so single sign-on and codes can find it.
        if not change or "email" in form.changed_data:
            mark_email_verified(obj)


@admin.register(FailedSignIn)
class FailedSignInAdmin(admin.ModelAdmin[FailedSignIn]):
    """Read-only: refused sign-ins, newest first. Search by the address itself, an account's email or an IP."""

    list_display = ["at", "method", "user", "ip", "email_fingerprint"]
    list_filter = ["method", "at"]
    search_fields = ["ip", "user__email"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[FailedSignIn], search_term: str
    ) -> tuple[QuerySet[FailedSignIn], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            found = found | queryset.filter(email_fingerprint=email_fingerprint(search_term))
        return found, may_have_duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: FailedSignIn | None = None) -> bool:
        return False


# allauth's session admin searches by username; CityHall accounts have none (email is the name).
# Importing allauth's admin module registers its class; replace it with one that searches by email.
from allauth.usersessions.admin import UserSessionAdmin  # noqa: E402
from allauth.usersessions.models import UserSession  # noqa: E402

admin.site.unregister(UserSession)


@admin.register(UserSession)
class SessionAdmin(UserSessionAdmin):  # type: ignore[misc]  # allauth ships no types
    search_fields = ["user__email", "ip"]
    formfield_overrides = LABELLED_DATE_TIMES


# Single sign-on is configured by environment only (docs/accounts.md); apps or tokens kept in the
# database would be ignored, so their admin pages would only mislead. Linked identities stay visible.
from allauth.socialaccount.admin import SocialAppAdmin  # noqa: E402, F401  (registers, to be replaced)
from allauth.socialaccount.models import SocialApp, SocialToken  # noqa: E402

admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
