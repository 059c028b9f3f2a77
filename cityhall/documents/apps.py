from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cityhall.documents"
    label = "documents"
    verbose_name = "Signed documents"

    def ready(self) -> None:
        from cityhall.core import readiness

        from . import pki

        # A seal that cannot be reached keeps the machine out of rotation, not a clerk mid-approval.
        readiness.register("signing", pki.production_keys_check)
