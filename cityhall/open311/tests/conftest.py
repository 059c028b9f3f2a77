"""Fixtures shared by the Open311 tests."""

import pytest

from .helpers import make_key


@pytest.fixture
def key(santa_monica) -> str:
    """A partner's API key for Santa Monica."""
    return make_key()
