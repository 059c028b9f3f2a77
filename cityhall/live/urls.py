from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("stream", views.stream, name="stream"),
    path("poll", views.poll, name="poll"),
]
