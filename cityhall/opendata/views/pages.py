"""The catalog for people: `/data/` lists and searches the datasets, `/data/<id>/` shows one."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cityhall.core.map_tiles import tiles_url

from .. import selectors
from ..catalog import DOWNLOADS, api_path, dictionary_path, download_path, downloads, has_geometry
from ..registry import UnknownDataset, dataset, datasets
from ..search import matching_datasets
from ..showing import example_query, shown_rows
from ..soql.build import MAX_LIMIT


@require_safe
def catalog_page(request: HttpRequest) -> HttpResponse:
    words = request.GET.get("q", "")[:200]
    keyword = request.GET.get("keyword", "")[:100]
    found = matching_datasets(datasets(), words=words, keyword=keyword)
    keywords = sorted({str(word) for entry in datasets() for word in entry.keywords}, key=str.casefold)
    return render(
        request,
        "opendata/catalog.html",
        {
            "datasets": found,
            "words": words,
            "keyword": keyword,
            "keywords": keywords,
            "searched": bool(words or keyword),
        },
    )


@require_safe
def dataset_page(request: HttpRequest, dataset_id: str) -> HttpResponse:
    try:
        shown = dataset(dataset_id)
    except UnknownDataset as exc:
        raise Http404(str(exc)) from exc
    api = api_path(shown)
    context: dict[str, Any] = {
        "dataset": shown,
        "downloads": [(fmt, download_path(shown, fmt)) for fmt in downloads(shown)],
        "api_url": request.build_absolute_uri(api),
        "example_url": request.build_absolute_uri(f"{api}?{example_query(shown)}"),
        "example_file_url": request.build_absolute_uri(
            f"{download_path(shown, downloads(shown)[0])}?{example_query(shown, rows=None)}"
        ),
        "dictionary_url": dictionary_path(shown),
        "rows": shown_rows(shown, selectors.preview(shown)),
        "row_count": selectors.row_count(shown),
        "page_limit": MAX_LIMIT,  # the SODA API's largest page, which the page tells data users
        "coverage": selectors.coverage(shown),
        "modified": shown.last_modified(),
        "map_tiles": tiles_url() if has_geometry(shown) else "",
        "map_data": {"points": selectors.map_points(shown), "shapes": selectors.shapes(shown)},
        "snapshot_days": _by_day(selectors.snapshots(shown)),
    }
    return render(request, "opendata/dataset.html", context)


def _by_day(snapshots: list[selectors.Snapshot]) -> list[tuple[Any, list[tuple[str, selectors.Snapshot]]]]:
    """Nightly files grouped by day, newest day first (as the selector lists them), each with its format's
    name as the download buttons say it ("GeoJSON", not the extension's "GEOJSON")."""
    labels = {fmt.extension: fmt.label for fmt in DOWNLOADS}
    return [
        (day, [(labels.get(file.extension, file.extension.upper()), file) for file in files])
        for day, files in groupby(snapshots, key=lambda snapshot: snapshot.day)
    ]
