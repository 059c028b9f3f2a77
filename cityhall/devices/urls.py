from django.urls import path, re_path

from . import views

app_name = "devices"

urlpatterns = [
    path("v1/senml", views.senml_ingest, name="senml"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
