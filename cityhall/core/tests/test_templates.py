"""What every template must be, read from the files: a rule that no single page's test would catch everywhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(
    path for path in {*(ROOT / "cityhall").glob("*/templates/**/*"), *(ROOT / "templates").rglob("*")} if path.is_file()
)
# Django's `{# … #}` ends on its own line; one that runs on is not a comment but text, shown to the reader.
UNCLOSED_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def test_the_templates_are_found():
    assert len(TEMPLATES) > 100


def test_no_short_comment_runs_past_its_line_where_every_reader_would_see_it():
    unclosed = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for match in UNCLOSED_COMMENT.finditer(text)
    ]
    assert not unclosed, "use {% comment %} for a comment of more than one line: " + ", ".join(unclosed)
