"""Anyone can verify: the page, the city's root certificate and its CRL; staff download a document."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify", views.verify, name="verify"),
    path("verify/<str:number>", views.verify_number, name="verify_number"),
    path("documents/trust-root.pem", views.trust_root, name="trust_root"),
    path("documents/crl.crl", views.crl_der, name="crl"),
    path("documents/crl.pem", views.crl_pem, name="crl_pem"),
    path("documents/<str:number>.pdf", views.download, name="download"),
]
