from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cityhall.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        # Signal receivers: failed sign-ins logged, how each session was opened, the profile's language.
        from . import language, sign_in_log, sso  # noqa: F401
