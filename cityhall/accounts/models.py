"""People: residents and staff share one account model; the role says what they may do."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models


class Role(models.TextChoices):
    RESIDENT = "resident", "Resident"
    AGENT = "agent", "311 agent"
    STAFF = "staff", "Department staff"
    CREW = "crew", "Field crew"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMIN = "admin", "City admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a city profile. Email is the sign-in name; contact details are never public."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=8, default="en", choices=[("en", "English"), ("es", "Español")])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RESIDENT, db_index=True)
    department = models.ForeignKey(
        "catalogue.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="For department staff, crews and supervisors: the department whose queue they work.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May open the Django admin.")
    date_joined = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_city_staff(self) -> bool:
        return self.role in STAFF_ROLES
