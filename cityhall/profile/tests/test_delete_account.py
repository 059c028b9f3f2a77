"""Deleting an account: confirmed by typing the address; afterwards her details are nowhere in the database."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse

from cityhall.accounts.models import SavedPlace, User
from cityhall.core import clock
from cityhall.notifications.models import Channel, Follow, Message, Unsubscribe
from cityhall.profile.models import Erasure
from cityhall.requests import services
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.services import Change, Contact
from cityhall.requests.tests.builders import CITY_HALL, actor, submit
from cityhall.requests.workflow import Action, Role

pytestmark = pytest.mark.django_db


def occurrences(needle: str) -> list[str]:
    """Every table.column, anywhere in the database, whose value contains `needle` (any case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column.name)
                cursor.execute(  # names from the database's own catalogue, quoted; the needle is a parameter
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s",  # noqa: S608
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.fixture
def her_whole_life(client, zelda, people, service, django_capture_on_commit_callbacks):
    """Everything a resident leaves behind: requests (signed in and anonymous), answers and staff notes
    naming her, a support, follows, messages sent, an unsubscribe, a place, a second factor, a session,
    admin history."""
    user = zelda.user
    SavedPlace.objects.create(user=user, kind="home", lat=CITY_HALL[0], lng=CITY_HALL[1], created_at=clock.now())
    TOTP.activate(user, generate_totp_secret())
    with django_capture_on_commit_callbacks(execute=True):
        mine = submit(
            service("barking-dogs"),
            reporter=user,
            description="The dog next to Zelda Quixote-Marsh's flat barks all night.",
            attributes={"WHEN": f"Every night; text {zelda.phone} or write to {zelda.work_email}"},
        )
        by_phone = submit(
            service("potholes"), contact=Contact(name=zelda.name, email=zelda.work_email, phone="+1 310 555 0177")
        )
        neighbours = submit(service("potholes"), contact=Contact(email="neighbour@example.org"))
        services.service_request_support(service_request=neighbours, user=user)
        services.service_request_transition(
            service_request=mine,
            action=Action.COMMENT,
            actor=actor(people["agent"], Role.AGENT),
            change=Change(
                public_note="Thank you, Zelda Quixote-Marsh; an officer will visit.",
                internal_note=f"Rang {zelda.phone}; spoke to Zelda.",
            ),
        )
    Unsubscribe.objects.create(channel=Channel.EMAIL, address=zelda.work_email, created_at=clock.now())
    Follow.objects.create(request=neighbours, email=zelda.work_email, created_at=clock.now())  # by email alone
    Follow.objects.create(request=by_phone, user=user, email=zelda.email, created_at=clock.now())
    LogEntry.objects.log_actions(
        user_id=people["admin"].pk, queryset=[user], action_flag=CHANGE, change_message="Changed phone."
    )
    client.force_login(user)
    assert client.get(reverse("profile:home")).status_code == 200  # records the session in allauth's list
    assert UserSession.objects.filter(user=user).exists()
    assert Message.objects.filter(address=zelda.email).exists()  # the receipt went to her
    return {"mine": mine, "by_phone": by_phone, "neighbours": neighbours}


def test_the_confirm_page_explains_and_a_wrong_address_deletes_nothing(client, zelda):
    client.force_login(zelda.user)
    page = client.get(reverse("profile:delete")).content.decode()
    assert "This cannot be undone" in page and "Type your email address to confirm" in page

    response = client.post(reverse("profile:delete"), {"email": "someone.else@example.net"})
    assert response.status_code == 400
    assert "That is not the email address of this account." in response.content.decode()
    assert User.objects.filter(pk=zelda.user.pk).exists()


def test_after_deletion_her_email_phone_and_name_are_nowhere_in_the_database(client, zelda, her_whole_life):
    traces = ("zelda", "quixote", "zq.work", "555-0177", "5550177", "555 0177")
    assert {needle: occurrences(needle) for needle in traces if occurrences(needle)}  # the walk does find them

    response = client.post(reverse("profile:delete"), {"email": zelda.email.upper()})

    assert response.status_code == 200 and "Your account is deleted" in response.content.decode()
    assert {needle: occurrences(needle) for needle in traces} == {needle: [] for needle in traces}


def test_her_requests_stay_without_her_and_the_erasure_is_on_record(client, zelda, her_whole_life):
    client.post(reverse("profile:delete"), {"email": zelda.email})

    mine = ServiceRequest.objects.get(pk=her_whole_life["mine"].pk)
    assert mine.service.code == "barking-dogs" and mine.status == her_whole_life["mine"].status
    assert mine.attributes["WHEN"] == "Every night; text [removed] or write to [removed]"
    note = mine.events.get(action="anonymise")
    assert note.kind == RequestEvent.Kind.NOTE and note.data == {"reason": "account_deleted"}
    erasure = Erasure.objects.get()
    assert (erasure.reason, erasure.requests_anonymised) == (Erasure.Reason.ACCOUNT_DELETED, 2)
    assert erasure.messages_forgotten >= 2
    neighbours = ServiceRequest.objects.get(pk=her_whole_life["neighbours"].pk)
    assert neighbours.reporter_email == "neighbour@example.org" and neighbours.support_count == 0
    assert Message.objects.filter(address="neighbour@example.org").exists()  # others' messages untouched


def test_deleting_signs_her_out_everywhere(client, zelda, her_whole_life):
    other_browser = Client()
    other_browser.force_login(zelda.user)
    assert other_browser.get(reverse("profile:home")).status_code == 200

    client.post(reverse("profile:delete"), {"email": zelda.email})

    assert not UserSession.objects.filter(user_id=zelda.user.pk).exists()
    for browser in (client, other_browser):
        assert browser.get(reverse("profile:home")).status_code == 302  # to the sign-in page


def test_staff_cannot_delete_their_own_account(client, people):
    client.force_login(people["agent"])
    response = client.post(reverse("profile:delete"), {"email": "agent@example.org"})
    assert response.status_code == 403 and "a city administrator closes staff accounts" in response.content.decode()
    assert User.objects.filter(email="agent@example.org").exists()
