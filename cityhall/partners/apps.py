from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "cityhall.partners"
    label = "partners"
    verbose_name = _("Partner API keys and webhooks")

    def ready(self) -> None:
        from cityhall.applications.events import application_events_committed
        from cityhall.requests.events import events_committed

        from .receivers import enqueue_webhooks_for_committed_application_events, enqueue_webhooks_for_committed_events

        events_committed.connect(enqueue_webhooks_for_committed_events, dispatch_uid="partners-webhooks")
        application_events_committed.connect(
            enqueue_webhooks_for_committed_application_events, dispatch_uid="partners-application-webhooks"
        )
