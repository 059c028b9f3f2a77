from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "cityhall.geo"
    label = "geo"
    verbose_name = "Geography"
