from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "cityhall.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from cityhall.catalogue.models import Service
        from cityhall.requests.events import events_committed

        from .receivers import refresh_for_committed_events, refresh_for_service_change

        # The projection follows the domain: committed timeline events re-project their requests, and a
        # service edited in the catalogue (renamed, made private or sensitive) re-projects its requests.
        events_committed.connect(refresh_for_committed_events, dispatch_uid="opendata-events-committed")
        post_save.connect(refresh_for_service_change, sender=Service, dispatch_uid="opendata-service-saved")
