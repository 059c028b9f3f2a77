"""The city's repository in the staff workspace: every dataset to download, and internal exports by role.

Public files are the open data downloads themselves. Exports with the fields the public never sees
go through `cityhall.opendata.services.dataset_export`, which checks the role and logs each one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from cityhall.core import clock
from cityhall.core.errors import DomainError
from cityhall.opendata.access import may_export_internal
from cityhall.opendata.downloads import FORMATS
from cityhall.opendata.internal import has_internal_fields
from cityhall.opendata.models import DataExport
from cityhall.opendata.registry import UnknownDataset, dataset, datasets
from cityhall.opendata.services import EXPORT_FORMATS, ExportRefused, dataset_export

from .common import staff_page


@staff_page
@require_safe
def data(request: HttpRequest) -> HttpResponse:
    rows = [{"dataset": d, "internal": has_internal_fields(d)} for d in datasets()]
    context = {
        "rows": rows,
        "public_formats": list(FORMATS),
        "export_formats": EXPORT_FORMATS,
        "may_export": may_export_internal(request.user),
    }
    return render(request, "staff/data.html", context)


@staff_page
@require_POST
def export(request: HttpRequest, dataset_id: str) -> HttpResponse | StreamingHttpResponse:
    try:
        chosen = dataset(dataset_id)
    except UnknownDataset:
        raise Http404 from None
    file_format = request.POST.get("format", "")
    try:
        pieces = dataset_export(chosen, file_format=file_format, via=DataExport.Via.STAFF, user=request.user)
    except ExportRefused:
        raise PermissionDenied from None
    except DomainError as refusal:
        return HttpResponseBadRequest(refusal.message)
    response = StreamingHttpResponse(pieces, content_type=FORMATS[file_format].content_type)
    filename = f"{chosen.slug}-internal-{clock.now():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: never kept by a browser or proxy cache
    return response
