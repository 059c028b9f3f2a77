"""Fixtures of the JSON API tests: partner keys by scope, a client that sends one, requests to read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cityhall.partners.models import ApiKey

BASE = "/api/v1"


def make_key(name: str, *scopes: str, **fields: Any) -> str:
    row = ApiKey(name=name, scopes=sorted(scopes) or ["read"], **fields)
    raw = row.issue()
    row.save()
    return raw


class Partner:
    """A partner's system calling the API with its key through Django's test client (the full chain)."""

    def __init__(self, client: Client, key: str) -> None:
        self.client = client
        self.key = key

    def _headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **headers}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(f"{BASE}{path}", params or {}, headers=self._headers(headers))

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(f"{BASE}{path}", body, content_type="application/json", headers=self._headers(headers))


@pytest.fixture
def partner_for(santa_monica, client) -> Callable[..., Partner]:
    """partner_for("Hauler", "submit", "update-own") → a Partner calling with a new key of those scopes."""

    def make(name: str, *scopes: str, **fields: Any) -> Partner:
        return Partner(client, make_key(name, *scopes, **fields))

    return make


@pytest.fixture
def reader(partner_for) -> Partner:
    return partner_for("Reader", "read")
