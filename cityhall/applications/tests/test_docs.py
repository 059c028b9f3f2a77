"""docs/digital-services.md carries the approval workflow's tables as generated; this fails when they are stale."""

from __future__ import annotations

from django.conf import settings

from cityhall.applications.workflow_docs import render_approval_markdown


def test_the_approval_workflow_in_the_docs_is_the_table():
    written = (settings.BASE_DIR / "docs" / "digital-services.md").read_text()
    assert render_approval_markdown() in written, (
        "docs/digital-services.md is stale: run `cityhall application-workflow-docs`"
    )
