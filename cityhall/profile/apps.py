from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "cityhall.profile"
    label = "profile"
    verbose_name = "City profile"
