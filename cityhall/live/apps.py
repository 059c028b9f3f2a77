from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cityhall.live"
    label = "live"
    verbose_name = "Live updates"
