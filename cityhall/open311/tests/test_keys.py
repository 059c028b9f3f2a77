"""Partner API keys: issued once (only the hash is kept), refused with 403, limited per minute with 429."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cityhall.catalogue.models import Jurisdiction
from cityhall.core import clock
from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.open311.errors import Open311Error
from cityhall.open311.keys import authorise_post
from cityhall.partners.keys import issue_key, revoke_key
from cityhall.partners.models import ApiKey, ApiKeyUsage

from .helpers import at_once

pytestmark = pytest.mark.django_db

MONDAY_10_15 = datetime(2026, 5, 4, 10, 15, 5, tzinfo=UTC)


def apikey(*args: str) -> str:
    out = io.StringIO()
    call_command("apikey", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(raw: str | None, jurisdiction: Jurisdiction) -> Open311Error:
    with pytest.raises(Open311Error) as refusal:
        authorise_post(raw, jurisdiction)
    return refusal.value


@pytest.fixture
def culver_city(santa_monica) -> Jurisdiction:
    return Jurisdiction.objects.create(
        name="Culver City", jurisdiction_id="culvercity.org", boundary=santa_monica.boundary
    )


def test_a_key_created_by_the_command_is_its_last_line_and_authorises(santa_monica):
    printed = apikey("create", "FixMyStreet Santa Monica", "--email", "ops@fixmystreet.example", "--rate-limit", "30")
    *about, raw = printed.splitlines()
    assert "FixMyStreet Santa Monica" in about[-1] and "not stored" in about[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", raw)

    key = authorise_post(raw, santa_monica)
    assert key.name == "FixMyStreet Santa Monica"
    assert key.contact_email == "ops@fixmystreet.example"
    assert key.rate_limit_per_minute == 30 and key.jurisdiction is None
    assert key.key_hint == raw[:8] and key.last_used_at is not None
    assert authorise_post(f"  {raw}\n", santa_monica) == key  # stray whitespace around a pasted key is forgiven


def test_the_database_keeps_only_the_hash(santa_monica):
    key, raw = issue_key(name="SeeClickFix", jurisdiction=santa_monica)
    authorise_post(raw, santa_monica)
    for row in [*ApiKey.objects.values(), *ApiKeyUsage.objects.values()]:
        for column, value in row.items():
            assert raw not in str(value), column
    assert len(key.key_hash) == 64 and raw[:8] == key.key_hint


def test_missing_empty_and_unknown_keys_are_refused_with_403(santa_monica):
    issue_key(name="SeeClickFix")
    for raw in (None, "", "   \t"):
        refusal = refused(raw, santa_monica)
        assert refusal.status == 403 and "Missing api_key" in refusal.description
    unknown = refused("not-a-key-anybody-was-given", santa_monica)
    assert unknown.status == 403
    assert unknown.description == "Invalid api_key received -- can't proceed with create_request."


def test_a_key_revoked_by_the_command_is_refused(santa_monica):
    raw = apikey("create", "Old partner").splitlines()[-1]
    authorise_post(raw, santa_monica)
    with clock.travel(MONDAY_10_15):
        assert "revoked since 2026-05-04 10:15 UTC" in apikey("revoke", "Old partner")
    with clock.travel(MONDAY_10_15 + timedelta(days=1)):
        apikey("revoke", "Old partner")  # revoking again keeps the first date
    assert ApiKey.objects.get(name="Old partner").revoked_at == MONDAY_10_15
    refusal = refused(raw, santa_monica)
    assert refusal.status == 403 and "revoked" in refusal.description


def test_a_key_limited_to_another_jurisdiction_is_refused(santa_monica, culver_city):
    raw = apikey("create", "Culver City app", "--jurisdiction", "culvercity.org").splitlines()[-1]
    assert authorise_post(raw, culver_city).jurisdiction == culver_city
    refusal = refused(raw, santa_monica)
    assert refusal.status == 403 and "smgov.net" in refusal.description
    _, anywhere = issue_key(name="Any city")
    authorise_post(anywhere, santa_monica)
    authorise_post(anywhere, culver_city)


def test_over_the_limit_is_429_until_the_next_minute(santa_monica):
    key, raw = issue_key(name="Busy partner", rate_limit_per_minute=3)
    with clock.travel(MONDAY_10_15):
        for _ in range(3):
            authorise_post(raw, santa_monica)
        refusal = refused(raw, santa_monica)
        assert refusal.status == 429
        assert refusal.description == (
            "Rate limit of 3 requests per minute exceeded for this api_key; try again in a minute."
        )
        clock.advance(timedelta(seconds=54))  # 10:15:59, the same minute
        assert refused(raw, santa_monica).status == 429
        assert ApiKeyUsage.objects.get(key=key).count == 3  # refused POSTs are not counted

        clock.advance(timedelta(seconds=1))  # 10:16:00
        assert authorise_post(raw, santa_monica).last_used_at == MONDAY_10_15 + timedelta(seconds=55)
        assert ApiKeyUsage.objects.get(key=key, minute=MONDAY_10_15.replace(minute=16, second=0)).count == 1


def test_each_key_has_its_own_counter(santa_monica):
    _, first = issue_key(name="First", rate_limit_per_minute=1)
    _, second = issue_key(name="Second", rate_limit_per_minute=1)
    with clock.travel(MONDAY_10_15):
        authorise_post(first, santa_monica)
        authorise_post(second, santa_monica)
        assert refused(first, santa_monica).status == 429


def test_last_used_is_written_once_a_minute_and_old_counters_are_swept(santa_monica):
    key, raw = issue_key(name="Steady partner")
    with clock.travel(MONDAY_10_15):
        authorise_post(raw, santa_monica)
        clock.advance(timedelta(seconds=30))
        authorise_post(raw, santa_monica)
        key.refresh_from_db()
        assert key.last_used_at == MONDAY_10_15  # the first POST of the minute stamps it
        clock.advance(timedelta(days=2))
        authorise_post(raw, santa_monica)
    key.refresh_from_db()
    assert key.last_used_at == MONDAY_10_15 + timedelta(days=2, seconds=30)
    assert list(ApiKeyUsage.objects.filter(key=key).values_list("count", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict.get("TEST", {}).get("NAME"),
    reason="SQLite's in-memory test database locks tables across threads; PostgreSQL or CITYHALL_TEST_SQLITE run it",
)
def test_the_limit_holds_across_concurrent_processes(santa_monica):
    _, raw = issue_key(name="Bursty partner", rate_limit_per_minute=5)
    outcomes: list[int] = []

    def post() -> None:
        try:
            with clock.travel(MONDAY_10_15):  # the travelled-to time is per thread
                authorise_post(raw, santa_monica)
            outcomes.append(200)
        except Open311Error as refusal:
            outcomes.append(refusal.status)

    at_once(12, post)
    assert sorted(outcomes) == [200] * 5 + [429] * 7
    assert sum(ApiKeyUsage.objects.values_list("count", flat=True)) == 5


def test_the_command_refuses_bad_input_and_writes_nothing(santa_monica):
    apikey("create", "Taken")
    with pytest.raises(CommandError, match="already exists"):
        apikey("create", "Taken")
    with pytest.raises(CommandError, match=re.escape("no jurisdiction “atlantis.gov”")):
        apikey("create", "Atlantis app", "--jurisdiction", "atlantis.gov")
    with pytest.raises(CommandError, match="at least 1"):
        apikey("create", "Stalled", "--rate-limit", "0")
    with pytest.raises(CommandError, match="email"):
        apikey("create", "Typo", "--email", "not-an-email")
    with pytest.raises(CommandError, match="no API key named “Nobody”"):
        apikey("revoke", "Nobody")
    assert list(ApiKey.objects.values_list("name", flat=True)) == ["Taken"]
    assert ApiKey.objects.get().revoked_at is None


def test_the_service_functions_name_the_field(santa_monica):
    issue_key(name="Taken")
    with pytest.raises(ValidationFailed) as duplicate:
        issue_key(name="Taken")
    assert duplicate.value.field == "name"
    with pytest.raises(ValidationFailed) as blank:
        issue_key(name="  ")
    assert blank.value.field == "name"
    with pytest.raises(NotFound):
        revoke_key(name="Nobody")


def test_the_list_shows_hints_and_status_never_keys(santa_monica, culver_city):
    assert "No API keys yet" in apikey("list")
    _, active = issue_key(name="Active partner", jurisdiction=culver_city, rate_limit_per_minute=10)
    _, revoked = issue_key(name="Gone partner")
    with clock.travel(MONDAY_10_15):
        authorise_post(active, culver_city)
        revoke_key(name="Gone partner")
    header, first, second = apikey("list").splitlines()
    assert header.split() == ["NAME", "HINT", "JURISDICTION", "SCOPES", "LIMIT/MIN", "STATUS", "LAST", "USED"]
    assert first.startswith("Active partner") and f"{active[:8]}…" in first and " submit,update-own " in first
    assert "culvercity.org" in first and " 10 " in first and "active" in first and "2026-05-04 10:15 UTC" in first
    assert second.startswith("Gone partner") and "revoked 2026-05-04 10:15 UTC" in second and "never" in second
    assert active not in first and revoked not in second


def test_the_admin_issues_a_key_and_shows_it_once(client, people, santa_monica):
    client.force_login(people["admin"])
    response = client.post(
        reverse("admin:partners_apikey_add"),
        {
            "name": "FixMyStreet",
            "contact_email": "",
            "jurisdiction": santa_monica.pk,
            "scopes": ["submit", "update-own"],
            "rate_limit_per_minute": "60",
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    (line,) = [message for message in shown if "copy it now: it is not stored" in message]
    raw = re.search(r"[A-Za-z0-9_-]{43}", line).group()
    assert raw in response.content.decode()

    key = authorise_post(raw, santa_monica)
    assert key.name == "FixMyStreet" and key.jurisdiction == santa_monica
    for url in (
        reverse("admin:partners_apikey_changelist"),
        reverse("admin:partners_apikey_change", args=[key.pk]),
    ):
        page = client.get(url).content.decode()
        assert raw not in page and key.key_hash not in page
        assert key.key_hint in page
    assert not list(get_messages(client.get(reverse("admin:partners_apikey_changelist")).wsgi_request))


def test_the_admin_change_page_keeps_the_key(client, people, santa_monica):
    key, raw = issue_key(name="Partner")
    client.force_login(people["admin"])
    response = client.post(
        reverse("admin:partners_apikey_change", args=[key.pk]),
        {
            "name": "Partner renamed",
            "contact_email": "",
            "jurisdiction": "",
            "scopes": ["read"],
            "rate_limit_per_minute": "5",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert not any("copy it now" in str(message) for message in response.context["messages"])
    kept = authorise_post(raw, santa_monica)
    assert kept.rate_limit_per_minute == 5 and kept.scopes == ["read"]
    # The name is stamped on the key's requests and marks them as its own: it cannot be changed.
    assert kept.name == "Partner"


def test_the_admin_action_revokes_the_selected_keys(client, people, santa_monica):
    kept, kept_raw = issue_key(name="Kept")
    gone, gone_raw = issue_key(name="Gone")
    client.force_login(people["admin"])
    with clock.travel(MONDAY_10_15):
        response = client.post(
            reverse("admin:partners_apikey_changelist"),
            {"action": "revoke", "_selected_action": [gone.pk]},
            follow=True,
        )
    assert "Revoked 1 API key." in [str(message) for message in response.context["messages"]]
    gone.refresh_from_db()
    assert gone.revoked_at == MONDAY_10_15
    assert refused(gone_raw, santa_monica).status == 403
    assert authorise_post(kept_raw, santa_monica) == kept
    listing = client.get(reverse("admin:partners_apikey_changelist"), {"status": "revoked"}).content.decode()
    assert "Gone" in listing and ">Kept<" not in listing


def test_a_rotated_key_gets_a_new_secret_and_the_old_one_is_refused_at_once(client, santa_monica):
    old = apikey("create", "Westside Waste", "--scope", "read").splitlines()[-1]
    assert client.get("/api/v1/services", headers={"authorization": f"Bearer {old}"}).status_code == 200

    printed = apikey("rotate", "Westside Waste").splitlines()
    new = printed[-1]

    assert "has a new secret" in printed[0] and new != old
    assert client.get("/api/v1/services", headers={"authorization": f"Bearer {old}"}).status_code == 401
    assert client.get("/api/v1/services", headers={"authorization": f"Bearer {new}"}).status_code == 200
    assert ApiKey.objects.get(name="Westside Waste").scopes == ["read"]  # only the secret changed
    with pytest.raises(CommandError, match="no API key named “Nobody”"):
        apikey("rotate", "Nobody")
