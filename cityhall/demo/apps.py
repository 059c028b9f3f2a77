from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cityhall.demo"
    label = "demo"
    verbose_name = "Santa Monica demo"
