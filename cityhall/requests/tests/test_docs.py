"""docs/workflow.md is generated from the table; this fails when someone changes one and not the other."""

from django.conf import settings

from cityhall.requests.workflow_docs import render_workflow_markdown


def test_the_workflow_document_matches_the_table():
    written = (settings.BASE_DIR / "docs" / "workflow.md").read_text()
    assert written == render_workflow_markdown(), "docs/workflow.md is stale: run `cityhall workflow-docs`"
