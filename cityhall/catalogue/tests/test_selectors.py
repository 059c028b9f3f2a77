"""Unknown codes get errors that name the field, so every interface can say what was wrong."""

import pytest

from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import jurisdiction_for, service_for
from cityhall.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_a_known_code_finds_its_service(santa_monica):
    assert service_for(santa_monica, "potholes").name == "Potholes"


def test_an_unknown_service_code_is_not_found_and_names_the_field(santa_monica):
    with pytest.raises(NotFound) as missing:
        service_for(santa_monica, "unicorn-sighting")
    assert missing.value.field == "service_code" and "unicorn-sighting" in missing.value.message
    with pytest.raises(ValidationFailed) as blank:
        service_for(santa_monica, "")
    assert "service_code" in blank.value.errors


def test_private_services_can_be_hidden_from_public_lookups(santa_monica):
    assert service_for(santa_monica, "investigations-detectives").is_private
    with pytest.raises(NotFound):
        service_for(santa_monica, "investigations-detectives", include_private=False)


def test_the_jurisdiction_may_be_left_out_only_when_there_is_one(santa_monica):
    assert jurisdiction_for(None) == santa_monica
    assert jurisdiction_for("smgov.net") == santa_monica
    with pytest.raises(NotFound) as missing:
        jurisdiction_for("atlantis.gov")
    assert missing.value.field == "jurisdiction_id"
    Jurisdiction.objects.create(name="Culver City", jurisdiction_id="culvercity.org", boundary=santa_monica.boundary)
    with pytest.raises(ValidationFailed):
        jurisdiction_for("")
