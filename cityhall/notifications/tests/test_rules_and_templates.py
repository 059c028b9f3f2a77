"""The table covers every kind of event; every message it names exists in both languages; the docs match."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import get_template

from cityhall.requests.models import RequestEvent

from ..rules import RULES, TEMPLATES, who_hears_what_markdown


def test_every_kind_of_event_is_decided():
    decided = {kind for kind, _action in RULES}
    assert decided == set(RequestEvent.Kind.values)
    assert RULES[(RequestEvent.Kind.NOTE, "note")] is None


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_message_has_a_subject_text_and_html(template):
    for part in ("subject.txt", "body.txt", "body.html"):
        get_template(f"notifications/{template}/{part}")


def test_the_document_lists_who_hears_what_from_the_table():
    written = (settings.BASE_DIR / "docs" / "notifications.md").read_text()
    assert who_hears_what_markdown() in written, "docs/notifications.md is stale: paste rules.who_hears_what_markdown()"
