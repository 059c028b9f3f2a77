from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from cityhall.requests.events import events_committed

        from .receivers import enqueue_for_committed_events

        events_committed.connect(enqueue_for_committed_events, dispatch_uid="notifications-events-committed")
