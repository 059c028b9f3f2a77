from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cityhall.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from cityhall.applications.events import application_events_committed

        from .feed import wake_listeners

        application_events_committed.connect(wake_listeners, dispatch_uid="cityhall_live_applications")
