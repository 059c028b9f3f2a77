from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "cityhall.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from cityhall.requests.events import events_committed

        from .receivers import refresh_for_committed_events

        events_committed.connect(refresh_for_committed_events, dispatch_uid="dashboards-events-committed")
