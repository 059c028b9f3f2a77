"""`/data/<dataset-id>/download.<csv|geojson|parquet>`: a whole dataset, or any SODA query of it, as a file, streamed.

With SODA parameters (`?$where=…`, `?status=closed`, `$select`, `$order`, `$group`…: everything
`/resource/` takes) the file holds every row of the query's answer, without the API's page limit
(`$limit` and `$offset` still apply if given), read in batches so memory stays constant. Its refusals
are the API's: 400 naming the bad token, 503 when the query runs past the time limit.

`.csv.gz` and `.geojson.gz` are gzip files; a client that sends `Accept-Encoding: gzip` gets the
plain formats gzip-encoded on the wire. Parquet is compressed inside (zstd), so it is never gzipped.
ETag and Last-Modified come from the open data's version, so a revalidating client gets a 304 for
the price of one small query. Refusals are JSON in Socrata's shape, never a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from cityhall.core.storage import stored_file_response

from ..downloads import FORMATS, Format, UnknownFormat, download_format, pieces, query_pieces
from ..formats import gzipped
from ..registry import Dataset, UnknownDataset, dataset
from ..selectors import snapshots
from ..soda.run import QueryTimeout, stream
from ..soda.views import refusal, timeout_error
from ..soql import SoqlError
from ..versions import open_data_version
from .machine import socrata_error

ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)")
GZIP_FILE = ".gz"
NEVER_GZIPPED = frozenset({"parquet"})


def download(request: HttpRequest, dataset_id: str, extension: str) -> HttpResponse | StreamingHttpResponse:
    if request.method not in ("GET", "HEAD"):
        not_allowed = socrata_error(405, "Downloads are read with GET or HEAD.")
        not_allowed["Allow"] = "GET, HEAD"
        return not_allowed
    as_file = extension.endswith(GZIP_FILE)
    try:
        chosen = dataset(dataset_id)
        file_format = download_format(extension.removesuffix(GZIP_FILE))
        if as_file and file_format.extension in NEVER_GZIPPED:
            raise UnknownFormat(extension)
    except (UnknownDataset, UnknownFormat) as unknown:
        return socrata_error(404, str(unknown))
    encode = not as_file and file_format.extension not in NEVER_GZIPPED and _accepts_gzip(request)
    version = open_data_version()
    query = request.GET.dict()
    etag = version.etag(chosen.id, extension, "gzip" if encode else "identity", *_canonical(query))
    last_modified = int(version.last_modified.timestamp()) if version.last_modified else None
    unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if unchanged is not None:
        return unchanged
    if request.method == "HEAD":
        body: Iterator[bytes] = iter(())
    elif query:
        try:
            body = query_pieces(stream(chosen, query), file_format)
        except SoqlError as refused:
            return refusal(refused)
        except QueryTimeout:
            return timeout_error()
    else:
        body = pieces(chosen, file_format)
    if as_file or encode:
        body = gzipped(body) if request.method == "GET" else body
    response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
        body, content_type="application/gzip" if as_file else file_format.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(chosen, file_format, as_file, bool(query))}"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    if file_format.extension not in NEVER_GZIPPED and not as_file:
        response["Vary"] = "Accept-Encoding"
    if encode:
        response["Content-Encoding"] = "gzip"
    return response


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _canonical(query: dict[str, str]) -> list[str]:
    """The query's parameters in a fixed order, so the same query always has the same ETag."""
    return [f"{name}={value}" for name, value in sorted(query.items())]


def _filename(chosen: Dataset, file_format: Format, as_file: bool, queried: bool) -> str:
    name = f"{chosen.slug}-query" if queried else chosen.slug
    return f"{name}.{file_format.extension}{GZIP_FILE if as_file else ''}"


def snapshot_file(request: HttpRequest, day: str, name: str) -> HttpResponse | FileResponse:
    """A file of a nightly snapshot, if its day's checksum list names it (nothing else in storage is reachable)."""
    if request.method not in ("GET", "HEAD"):
        return socrata_error(405, "Snapshots are read with GET or HEAD.")
    try:
        chosen = dataset(name.split(".", 1)[0])
    except UnknownDataset as refusal:
        return socrata_error(404, str(refusal))
    found = next((s for s in snapshots(chosen) if s.day.isoformat() == day and s.name == name), None)
    if found is None:
        return socrata_error(404, f"No snapshot {name!r} of {day!r}.")
    etag = f'"{found.sha256}"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    try:
        response = stored_file_response(
            found.storage_name,
            as_attachment=True,
            filename=f"{chosen.slug}-{day}.{found.extension}",
            content_type=FORMATS[found.extension].content_type,
        )
    except FileNotFoundError:  # pruned since the listing was read
        return socrata_error(404, f"No snapshot {name!r} of {day!r}.")
    response["ETag"] = etag
    return response
