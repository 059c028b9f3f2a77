from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "department", "is_active", "last_login"]
    list_filter = ["role", "department", "is_active", "is_staff"]
    search_fields = ["email", "name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "phone", "language"]}),
        ("Role", {"fields": ["role", "department", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "role", "department", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


# allauth's session admin searches by username; CityHall accounts have none (email is the name).
# Importing allauth's admin module registers its class; replace it with one that searches by email.
from allauth.usersessions.admin import UserSessionAdmin  # noqa: E402
from allauth.usersessions.models import UserSession  # noqa: E402

admin.site.unregister(UserSession)


@admin.register(UserSession)
class SessionAdmin(UserSessionAdmin):
    search_fields = ["user__email", "ip"]
