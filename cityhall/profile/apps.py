from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfileConfig(AppConfig):
    name = "cityhall.profile"
    label = "profile"
    verbose_name = _("City profile")
