"""The API's docs page says what language it is in, so a screen reader reads its English as English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_docs_page_declares_its_english(client, santa_monica, language):
    page = client.get("/api/v1/docs", headers={"accept-language": language}).content.decode()
    assert '<html lang="en">' in page and "swagger-ui-bundle" in page
