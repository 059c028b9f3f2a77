from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "cityhall.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue and city policy"
