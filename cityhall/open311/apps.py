from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "cityhall.open311"
    label = "open311"
    verbose_name = "Open311 API"
