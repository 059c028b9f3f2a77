"""API key scopes: every scope against every Open311 endpoint, on the key's own request, another
partner's and a resident's web report, through HTTP. A refusal is an Open311 403 and writes nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError
from django.urls import reverse

from cityhall.catalogue.models import Jurisdiction
from cityhall.partners.models import ApiKey
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Resolution, Status

from .helpers import BASE, FORMATS, assert_error, body, describe, make_key, nothing_written, report, sent_by, window
from .test_keys import apikey

pytestmark = pytest.mark.django_db

PARTNER = "Matrix partner"
SCOPES = {
    "read": ["read"],
    "submit": ["submit"],
    "update-own": ["update-own"],
    "update-any": ["update-any"],
    "default": ["submit", "update-own"],
}
# Which targets a POST servicerequestupdates may touch, per scope.
MAY_UPDATE = {
    "read": set(),
    "submit": set(),
    "update-own": {"own"},
    "update-any": {"own", "other partner's", "web report"},
    "default": {"own"},
}
READS = ["services", "requests", "request", "servicerequestupdates"]
CASES = ["create", *(f"update {target}" for target in ("own", "other partner's", "web report")), *READS]


@pytest.fixture
def targets(service) -> dict[str, ServiceRequest]:
    potholes = service("potholes")
    return {
        "own": sent_by(potholes, PARTNER),
        "other partner's": sent_by(potholes, "Another partner"),
        "web report": submit(potholes),
    }


def expected(scope: str, case: str) -> int:
    if case == "create":
        return 200 if "submit" in SCOPES[scope] else 403
    if case.startswith("update "):
        return 200 if case.removeprefix("update ") in MAY_UPDATE[scope] else 403
    return 200  # reads are public, whatever the key


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("scope", SCOPES)
def test_permission_matrix(client, santa_monica, targets, scope, case, fmt):
    key = make_key(PARTNER, scopes=SCOPES[scope])
    want = expected(scope, case)
    # Writes carry an Idempotency-Key too: a refusal must not use it up (nothing_written counts them).
    headers = {"Idempotency-Key": f"matrix-{scope}-{case}"}
    if case == "create":
        post = lambda: client.post(f"{BASE}requests.{fmt}", report(api_key=key), headers=headers)  # noqa: E731
    elif case.startswith("update "):
        target = targets[case.removeprefix("update ")]
        form = {"api_key": key, "service_request_id": target.public_id, "description": f"Seen again by {scope}."}
        post = lambda: client.post(f"{BASE}servicerequestupdates.{fmt}", form, headers=headers)  # noqa: E731
    else:
        resource = {"request": f"requests/{targets['web report'].public_id}"}.get(case, case)
        query = {"api_key": key, **(window() if case == "servicerequestupdates" else {})}
        response = client.get(f"{BASE}{resource}.{fmt}", query)
        assert response.status_code == want, describe(response)
        return
    if want == 403:
        with nothing_written():
            (description,) = assert_error(post(), 403, fmt)
        assert description.startswith("This api_key may"), description
    else:
        response = post()
        assert response.status_code == 200, describe(response)
        body(response, "post_result" if case == "create" else "update_post_result", fmt)


def test_the_finding_a_default_key_cannot_reopen_a_resident_s_resolved_request(client, santa_monica, people, service):
    key = make_key(PARTNER)  # scopes left to the default, as keys issued before scopes have
    resident = submit(service("potholes"))
    admin = access.actor_for(people["admin"], resident)
    change = services.Change(resolution=Resolution.FIXED, public_note="Filled.", photos=[jpeg_with_gps((64, 48))])
    services.service_request_transition(service_request=resident, action=Action.RESOLVE, actor=admin, change=change)
    form = {"api_key": key, "service_request_id": resident.public_id, "status": "OPEN"}
    with nothing_written():
        (description,) = assert_error(client.post(f"{BASE}servicerequestupdates.json", form), 403, "json")
    assert description == (f"This api_key may only update requests it submitted; request {resident.public_id} was not.")
    resident.refresh_from_db()
    assert resident.status == Status.RESOLVED


def test_a_key_issued_without_scopes_gets_submit_and_update_own(santa_monica):
    # The model's default is also what the migration gave every key issued before scopes existed.
    make_key("Old partner")
    assert ApiKey.objects.get(name="Old partner").scopes == ["submit", "update-own"]


def test_the_command_creates_lists_and_changes_scopes(client, santa_monica):
    raw = apikey("create", "Back office", "--scope", "update-any", "--scope", "read").splitlines()[-1]
    assert ApiKey.objects.get(name="Back office").scopes == ["read", "update-any"]
    assert "FixMyStreet" not in apikey("list")
    assert "read,update-any" in apikey("list").splitlines()[1]
    assert_error(client.post(f"{BASE}requests.json", report(api_key=raw)), 403, "json")

    assert "may now: submit" in apikey("scopes", "Back office", "--scope", "submit")
    assert ApiKey.objects.get(name="Back office").scopes == ["submit"]
    assert client.post(f"{BASE}requests.json", report(api_key=raw)).status_code == 200

    default = apikey("create", "FixMyStreet")
    assert "scopes submit, update-own" in default
    with pytest.raises(CommandError, match="invalid choice: 'everything'"):
        apikey("scopes", "Back office", "--scope", "everything")
    with pytest.raises(CommandError, match="--scope"):
        apikey("scopes", "Back office")
    with pytest.raises(CommandError, match="no API key named “Nobody”"):
        apikey("scopes", "Nobody", "--scope", "read")
    assert ApiKey.objects.get(name="Back office").scopes == ["submit"]


def test_the_admin_shows_and_edits_scopes(client, people, santa_monica):
    make_key(PARTNER)
    key = ApiKey.objects.get(name=PARTNER)
    client.force_login(people["admin"])
    listing = client.get(reverse("admin:partners_apikey_changelist")).content.decode()
    assert "submit, update-own" in listing
    form = {
        "contact_email": "",
        "jurisdiction": "",
        "rate_limit_per_minute": "60",
        "revoked_at_0": "",
        "revoked_at_1": "",
    }
    url = reverse("admin:partners_apikey_change", args=[key.pk])
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Give the key at least one scope." in refused.content.decode()
    key.refresh_from_db()
    assert key.scopes == ["submit", "update-own"]
    client.post(url, {**form, "scopes": ["update-any", "read"]})
    key.refresh_from_db()
    assert key.scopes == ["read", "update-any"]


@pytest.mark.parametrize("where", ["a private category", "another jurisdiction"])
def test_even_an_update_any_key_finds_no_request_it_cannot_list(client, santa_monica, service, where):
    """The partner's door (access.request_for_partner): a request outside what the key's jurisdiction
    lists publicly does not exist for it, whatever its scopes."""
    key = make_key(PARTNER, scopes=["update-any"])
    if where == "a private category":
        target, jurisdiction = submit(service("investigations-detectives")), "smgov.net"
    else:
        Jurisdiction.objects.create(
            name="Culver City", jurisdiction_id="culvercity.org", boundary=santa_monica.boundary
        )
        target, jurisdiction = submit(service("potholes")), "culvercity.org"
    form = {
        "api_key": key,
        "service_request_id": target.public_id,
        "description": "Seen.",
        "jurisdiction_id": jurisdiction,
    }
    with nothing_written():
        (description,) = assert_error(client.post(f"{BASE}servicerequestupdates.json", form), 404, "json")
    assert description == f"There is no request {target.public_id}."
