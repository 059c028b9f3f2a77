from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cityhall.api"
    label = "api"
    verbose_name = "JSON API"
