from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "cityhall.applications"
    label = "applications"
    verbose_name = "Digital services and applications"
