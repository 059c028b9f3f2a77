from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "cityhall.requests"
    label = "requests"
    verbose_name = "Service requests"
