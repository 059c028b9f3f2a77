from django.urls import path

from . import views

app_name = "profile"

urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.place_add, name="place_add"),
    path("places/<int:place_id>/remove", views.place_remove, name="place_remove"),
    path("claim", views.claim, name="claim"),
    path("my-data.json", views.export, name="export"),
    path("delete", views.delete, name="delete"),
]
