"""The report page's own first-load transfer (HTML, CSS, JS; no map tiles, no photos) stays under 150 KB gzipped.

Measured in Chromium: every response the page loads, compressed as a server would send it (gzip -6;
WhiteNoise serves precompressed files in production). Leaflet is not part of it: it loads only when
the resident opens the map, and the second figure shows what opening it adds.
"""

from __future__ import annotations

import gzip

import pytest
from playwright.sync_api import expect

from .report_browser_helpers import offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024


def gzipped_bytes(responses: list) -> dict[str, int]:
    sizes = {}
    for response in responses:
        if response.request.resource_type in ("image", "media") or "/media/" in response.url:
            continue  # photos and map tiles are outside the budget
        sizes[response.url] = len(gzip.compress(response.body(), compresslevel=6))
    return sizes


@pytest.mark.parametrize("path", ["/report", "/report/potholes"])
def test_the_report_pages_first_load_is_under_150_kb_compressed(phone, santa_monica, path):
    page = offline_from_the_internet(phone)
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="networkidle")
    first_load = gzipped_bytes(responses)
    total = sum(first_load.values())
    print(f"\n{path}: first load {total / 1024:.1f} KB gzipped:")
    for url, size in sorted(first_load.items(), key=lambda item: -item[1]):
        print(f"  {size / 1024:6.1f} KB  {url.split('//', 1)[1].split('/', 1)[1]}")
    assert not any("leaflet" in url for url in first_load), "Leaflet loads only when the map is opened"
    assert total < BUDGET
    if path == "/report/potholes":
        responses.clear()
        page.get_by_role("button", name="Show the map").click()
        expect(page.locator(".leaflet-container")).to_be_visible()
        page.wait_for_load_state("networkidle")
        leaflet = sum(gzipped_bytes(responses).values())
        print(f"  opening the map adds {leaflet / 1024:.1f} KB (Leaflet; tiles not counted)")
