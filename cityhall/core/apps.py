from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cityhall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .task_observer import connect

        connect()
