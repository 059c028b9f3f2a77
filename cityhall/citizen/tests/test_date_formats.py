"""One date format per language: the list, the confirmation and the tracking page agree.

They used three: the list "Dec. 3, 2026", the tracking page "Dec. 3, 2026, 9:30 a.m." and the
confirmation "Thursday 3 December 2026, 9:30 a.m."; now each language's format module decides.
"""

from __future__ import annotations

import re

import pytest

from cityhall.requests.models import ServiceRequest

from .report_helpers import pothole_form

pytestmark = pytest.mark.django_db

EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
ES_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
FORMATS = {  # (date, time) as each language writes them
    "en": (rf"(?:{EN_MONTHS}) \d{{1,2}}, \d{{4}}", r"\d{1,2}:\d\d [AP]M"),
    "es": (rf"\d{{1,2}} de (?:{ES_MONTHS}) de \d{{4}}", r"\d\d:\d\d"),
}


def shown_in(html: str, marker: str) -> str:
    """The text of the first <time> element after `marker`."""
    found = re.search(re.escape(marker) + r".*?<time datetime=\"[^\"]+\">([^<]+)</time>", html, re.S)
    assert found, marker
    return found.group(1)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_list_the_confirmation_and_the_tracking_page_show_dates_alike(client, service, language):
    sent = client.post("/report/potholes", pothole_form(), HTTP_ACCEPT_LANGUAGE=language)
    created = ServiceRequest.objects.get()
    date, time = FORMATS[language]
    confirmation = client.get(sent["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    tracking = client.get(
        f"/requests/{created.public_id}?token={created.tracking_token}", HTTP_ACCEPT_LANGUAGE=language
    )
    listing = client.get("/requests", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    html = tracking.content.decode()

    expected_by = shown_in(confirmation, "data-expected-by")
    assert re.fullmatch(f"{date}, {time}", expected_by), expected_by
    assert shown_in(html, "<dd>") == expected_by  # "Expected by" on the tracking page: the same words

    reported = shown_in(html, "<dt>Reported</dt>" if language == "en" else "<dt>Reportada</dt>")
    listed = shown_in(listing, 'class="requests-list__meta">')
    assert re.fullmatch(date, listed), listed
    assert reported == f"{listed}, {reported.rsplit(', ', 1)[1]}" and re.fullmatch(f"{date}, {time}", reported)
