"""What machines read: the DCAT-US catalog (`/data.json`) and each dataset's dictionary, as JSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from ..catalog import catalog, dictionary
from ..registry import UnknownDataset, dataset


def socrata_error(status: int, message: str) -> JsonResponse:
    """An error as Socrata's clients read it: JSON, never an HTML page."""
    return JsonResponse({"error": True, "message": message}, status=status)


@require_safe
def data_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(catalog(request.build_absolute_uri), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # harvesters and browser tools read it from other sites
    return response


@require_safe
def dataset_dictionary(request: HttpRequest, dataset_id: str) -> JsonResponse:
    try:
        found = dataset(dataset_id)
    except UnknownDataset as exc:
        return socrata_error(404, str(exc))
    response = JsonResponse(dictionary(found), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
