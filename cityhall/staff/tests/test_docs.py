"""docs/staff.md lists the staff actions from the workflow table; this fails when the two drift apart."""

from django.conf import settings

from cityhall.staff.docs import render_staff_actions


def test_the_staff_actions_table_in_the_docs_matches_the_workflow():
    written = (settings.BASE_DIR / "docs" / "staff.md").read_text()
    assert render_staff_actions() in written, "docs/staff.md is stale: paste render_staff_actions() into it"
