"""The public pages that let anyone check a document, and the files they need (docs/documents.md).

/verify renders the domain's verdict (`verification.py`) in words; the trust root and the CRL are
public by nature. A document's PDF itself is served here to city staff only, through `access.py`; an
application's decision also to its applicant, from their application's page (the citizen app's).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cityhall.core.errors import NotFound
from cityhall.core.ratelimit import limit_posts
from cityhall.core.storage import stored_file_response

from . import pki
from .access import document_for_staff
from .forms import NumberForm, UploadForm
from .records import record_of
from .selectors import document_by_number, revoked_serials

PEM = "application/x-pem-file"
# Checking a PDF costs a tenth of a second of CPU or more (bench/documents_signing.py): a flood is refused.
VERIFY_PER_MINUTE = 20


@require_safe
def trust_root(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(pki.certificate_pem(pki.trust_root()), content_type=PEM)
    response["Content-Disposition"] = 'inline; filename="trust-root.pem"'
    return response


def _crl(encoding: serialization.Encoding, content_type: str) -> HttpResponse:
    crl = pki.revocation_list(revoked_serials())  # type: ignore[arg-type]  # (serial, datetime) rows
    response = HttpResponse(crl.public_bytes(encoding), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def crl_der(request: HttpRequest) -> HttpResponse:
    return _crl(serialization.Encoding.DER, "application/pkix-crl")


@require_safe
def crl_pem(request: HttpRequest) -> HttpResponse:
    return _crl(serialization.Encoding.PEM, PEM)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("verify", per_minute=VERIFY_PER_MINUTE)
def verify(request: HttpRequest) -> HttpResponse:
    upload_form = UploadForm()
    number_form = NumberForm()
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            from .verification import verify_pdf  # pyHanko loads at the first check (docs/architecture.md, "Start-up")

            verdict = verify_pdf(upload_form.cleaned_data["document"])
            return render(request, "documents/verdict.html", {"verdict": verdict})
    elif "number" in request.GET:
        number_form = NumberForm(request.GET)
        if number_form.is_valid():
            return redirect("documents:verify_number", number=number_form.cleaned_data["number"])
    status = 400 if upload_form.errors or number_form.errors else 200
    return render(
        request,
        "documents/verify.html",
        {
            "upload_form": upload_form,
            "number_form": number_form,
            "root_url": reverse("documents:trust_root"),
            "crl_url": reverse("documents:crl"),
        },
        status=status,
    )


@require_safe
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    document = document_by_number(number)
    if document is None:
        return render(request, "documents/unknown_number.html", {"number": number[:40]}, status=404)
    return render(request, "documents/record.html", {"record": record_of(document), "upload_form": UploadForm()})


@require_safe
def download(request: HttpRequest, number: str) -> HttpResponseBase:
    try:
        document = document_for_staff(request, number)
    except NotFound:
        raise Http404 from None
    response = stored_file_response(
        document.file_name, content_type="application/pdf", as_attachment=True, filename=f"{document.number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
