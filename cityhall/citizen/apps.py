from django.apps import AppConfig


class CitizenConfig(AppConfig):
    name = "cityhall.citizen"
    label = "citizen"
    verbose_name = "Resident app"
