from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from cityhall.core.metrics import register_source
        from cityhall.requests.events import events_committed

        from .metrics import outbox_figures
        from .receivers import enqueue_for_committed_events

        events_committed.connect(enqueue_for_committed_events, dispatch_uid="notifications-events-committed")
        register_source(outbox_figures)
