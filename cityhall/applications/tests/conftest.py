from __future__ import annotations

import pytest

from cityhall.applications.models import DigitalService


@pytest.fixture
def digital_services(santa_monica, people) -> dict[str, DigitalService]:
    """The demo's three Santa Monica digital services, defined and published as the demo does."""
    from cityhall.demo.applications import load_digital_services

    return {service.code: service for service in load_digital_services(santa_monica)}
