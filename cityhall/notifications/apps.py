from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from cityhall.applications.events import application_events_committed
        from cityhall.core.metrics import register_source
        from cityhall.requests.events import events_committed

        from .metrics import outbox_figures
        from .receivers import enqueue_for_committed_application_events, enqueue_for_committed_events

        events_committed.connect(enqueue_for_committed_events, dispatch_uid="notifications-events-committed")
        application_events_committed.connect(
            enqueue_for_committed_application_events, dispatch_uid="notifications-application-events-committed"
        )
        register_source(outbox_figures)
