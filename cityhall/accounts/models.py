"""People: residents and staff share one account model; the role says what they may do."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import ACCOUNT_ROLES
from .roles import STAFF_ROLES as STAFF_ROLES  # read here by the apps that already hold the model
from .roles import Role as Role


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

    email = models.EmailField(verbose_name=_("email"), unique=True)
    name = models.CharField(verbose_name=_("name"), max_length=150, blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=32, blank=True)
    language = models.CharField(
        verbose_name=_("language"), max_length=8, default="en", choices=[("en", "English"), ("es", "Español")]
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=16,
        choices=[(role.value, role.label) for role in ACCOUNT_ROLES],
        default=Role.RESIDENT,
        db_index=True,
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=_("For department staff, crews and supervisors: the department whose queue they work."),
    )
    is_active = models.BooleanField(verbose_name=_("can sign in"), default=True)
    is_staff = models.BooleanField(
        verbose_name=_("may open the admin"), default=False, help_text=_("May open this administration site.")
    )
    date_joined = models.DateTimeField(verbose_name=_("account created"), auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_city_staff(self) -> bool:
        return self.role in STAFF_ROLES


class SavedPlace(models.Model):
    """A place a resident reports from often (home, work…), so the report form can fill the location in one tap.

    Private to its owner: never shown on public pages. Erased with the account.
    """

    class Kind(models.TextChoices):
        # The one spelling of each kind's words: the profile's form and list and the report form read them here,
        # and this app's catalogue holds their Spanish. They carry a context because the catalogues are merged
        # and the first Spanish of a word wins: the admin's bare "Home" is its breadcrumb, "Inicio", not "Casa".
        HOME = "home", pgettext_lazy("saved place", "Home")
        WORK = "work", pgettext_lazy("saved place", "Work")
        OTHER = "other", pgettext_lazy("saved place", "Other place")

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="saved_places")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OTHER)
    label = models.CharField(max_length=60, blank=True, help_text="The resident's own name for it (other places).")
    address = models.CharField(max_length=300, blank=True)
    lat = models.FloatField()
    lng = models.FloatField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["user", "kind", "label", "id"]
        constraints = [
            # One home and one work place each; any number of others.
            models.UniqueConstraint(
                fields=["user", "kind"], condition=~models.Q(kind="other"), name="saved_place_one_home_one_work"
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="saved_place_latlng_valid",
            ),
        ]

    def __str__(self) -> str:
        """What the resident reads wherever the place is offered: the name they gave it, else its kind's."""
        return self.label or self.get_kind_display()


class FailedSignIn(models.Model):
    """One refused sign-in attempt, for admins watching for attacks (cityhall/accounts/sign_in_log.py).

    Holds no address and no password: the address is kept as a keyed fingerprint, so repeated
    attempts on one account can be spotted and searched for, but the address cannot be read back.
    Rows older than `FAILED_SIGN_IN_RETENTION` are deleted as new ones arrive.
    """

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        CODE = "code", _("One-time code")
        SECOND_FACTOR = "second_factor", _("Second factor")
        SSO = "sso", _("City single sign-on")

    at = models.DateTimeField(verbose_name=_("when"), db_index=True)
    method = models.CharField(verbose_name=_("method"), max_length=16, choices=Method.choices)
    email_fingerprint = models.CharField(
        verbose_name=_("address fingerprint"), max_length=16, blank=True, db_index=True
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="failed_sign_ins",
    )
    ip = models.GenericIPAddressField(verbose_name=_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("refused sign-in")
        verbose_name_plural = _("refused sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} at {self.at:%Y-%m-%d %H:%M}"
