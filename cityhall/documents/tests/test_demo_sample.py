"""The demo's signed sample permit verifies like any document, once however often the demo loads."""

from __future__ import annotations

import pytest

from cityhall.demo.documents import sample_permit
from cityhall.demo.people import ensure_accounts

from .conftest import stored_bytes
from .test_verify_pages import upload

pytestmark = pytest.mark.django_db


def test_the_demo_sample_permit_is_signed_by_the_demo_supervisor_and_verifies(client, santa_monica):
    people = ensure_accounts(santa_monica)
    permit = sample_permit(people)
    assert sample_permit(people) == permit

    page = upload(client, stored_bytes(permit)).content.decode()
    assert "This document is genuine" in page
    assert "Signed by Sofia Supervisor (Public Works)" in page
    assert "Sealed by the city (City of Santa Monica Seal)" in page
