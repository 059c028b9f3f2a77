from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "cityhall.partners"
    label = "partners"
    verbose_name = "Partner API keys"
