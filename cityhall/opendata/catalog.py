"""The city's datasets described for machines: DCAT-US 1.1 (`/data.json`) and each data dictionary.

Links are absolute (data.gov harvests them from elsewhere); text is in English, the catalog's
language. Formats and their media types live here once, for these documents and the catalog pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.utils import translation

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction
from cityhall.core.geometry import parse_area

from . import selectors
from .registry import Dataset, datasets

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
SCHEMA_URL = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
# Federal budget codes the schema requires of every dataset; "000" marks a non-federal publisher.
NON_FEDERAL_BUREAU, NON_FEDERAL_PROGRAM = "000:00", "000:000"


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    media_type: str
    spatial_only: bool = False  # only for datasets with a point or a boundary


DOWNLOADS = (
    Format("csv", "CSV", "text/csv"),
    Format("geojson", "GeoJSON", "application/geo+json", spatial_only=True),
    Format("parquet", "Parquet", "application/vnd.apache.parquet"),
)


def download_path(dataset: Dataset, fmt: Format) -> str:
    return f"/data/{dataset.id}/download.{fmt.extension}"


def api_path(dataset: Dataset) -> str:
    """The SODA endpoint (JSON); `.csv` and `.geojson` answer the same queries."""
    return f"/resource/{dataset.id}.json"


def dictionary_path(dataset: Dataset) -> str:
    return f"/data/{dataset.id}/dictionary.json"


def downloads(dataset: Dataset) -> list[Format]:
    return [fmt for fmt in DOWNLOADS if not fmt.spatial_only or has_geometry(dataset)]


def has_geometry(dataset: Dataset) -> bool:
    return any(column.type in ("point", "multipolygon") for column in dataset.columns)


def catalog(absolute: Callable[[str], str]) -> dict[str, Any]:
    """The DCAT-US catalog; `absolute` turns a path into a full URL."""
    city = catalogue.site_city()
    box = _bounding_box(city)  # one city, so one box for every dataset that covers it
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "@context": CONTEXT,
            "@id": absolute("/data.json"),
            "@type": "dcat:Catalog",
            "conformsTo": CONFORMS_TO,
            "describedBy": SCHEMA_URL,
            "dataset": [_entry(dataset, city, box, absolute) for dataset in datasets()],
        }


def dictionary(dataset: Dataset) -> dict[str, Any]:
    """A dataset's columns in English and Spanish: what `describedBy` points at."""
    return {
        "id": dataset.id,
        "title": _both(dataset.title),
        "description": _both(dataset.description),
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "title": _both(column.label),
                "description": _both(column.description),
                "example": column.example,
            }
            | ({"latitude": column.sql_latitude, "longitude": column.sql_longitude} if column.type == "point" else {})
            for column in dataset.columns
        ],
    }


def _both(text: object) -> dict[str, str]:
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found[code] = str(text)
    return found


def _entry(dataset: Dataset, city: Jurisdiction | None, box: str, absolute: Callable[[str], str]) -> dict[str, Any]:
    page = absolute(f"/data/{dataset.id}/")
    modified = dataset.last_modified() or (city.updated_at if city else None)
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": page,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "keyword": [str(word) for word in dataset.keywords],
        "modified": modified.isoformat() if modified else "",
        "publisher": {"@type": "org:Organization", "name": dataset.publisher or catalogue.city_name(city)},
        "contactPoint": _contact(dataset, city),
        "accessLevel": "public",
        "bureauCode": [NON_FEDERAL_BUREAU],
        "programCode": [NON_FEDERAL_PROGRAM],
        "license": dataset.license,
        "accrualPeriodicity": dataset.frequency,
        "landingPage": page,
        "describedBy": absolute(dictionary_path(dataset)),
        "describedByType": "application/json",
        "language": [f"{code}-US" for code, _name in settings.LANGUAGES],
        "distribution": [
            *(
                {
                    "@type": "dcat:Distribution",
                    "title": f"{dataset.title} ({fmt.label})",
                    "downloadURL": absolute(download_path(dataset, fmt)),
                    "mediaType": fmt.media_type,
                    "format": fmt.label,
                }
                for fmt in downloads(dataset)
            ),
            {
                "@type": "dcat:Distribution",
                "title": f"{dataset.title} (API)",
                "accessURL": absolute(api_path(dataset)),
                "format": "API",
                "description": "Socrata SODA 2.1 query API: filter, aggregate and page with SoQL.",
                "describedBy": absolute(dictionary_path(dataset)),
                "describedByType": "application/json",
            },
        ],
    }
    if (span := selectors.coverage(dataset)) is not None:
        entry["temporal"] = f"{span[0].isoformat()}/{span[1].isoformat()}"
    if dataset.spatial and box:
        entry["spatial"] = box
    return entry


def _contact(dataset: Dataset, city: Jurisdiction | None) -> dict[str, str]:
    email = dataset.contact or (city.contact_email if city else "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return {"@type": "vcard:Contact", "fn": catalogue.city_name(city), "hasEmail": f"mailto:{email}"}


def _bounding_box(city: Jurisdiction | None) -> str:
    """West, south, east, north of the city's boundary (DCAT-US's bounding-box form)."""
    # The site's city is shared without its boundary (a large document): read it afresh, once.
    with_boundary = catalogue.jurisdiction_named(city.jurisdiction_id) if city is not None else None
    if with_boundary is None:
        return ""
    west, south, east, north = parse_area(with_boundary.boundary).bounds
    return ",".join(f"{value:.4f}" for value in (west, south, east, north))
