"""How the site writes a count: one rule for every page, so a number reads the same wherever it stands.

Thousands are grouped as the reader's language writes them ("57,663" in English, "57 663" in Spanish,
from Django's locale formats), whether or not the settings group numbers by default. A count inside a
translated sentence is a variable formatted here, never digits typed into the catalog.
"""

from __future__ import annotations

from django.utils import formats


def grouped(count: int) -> str:
    """A count in the active language, its thousands grouped: "57,663", "57 663"."""
    return formats.number_format(count, force_grouping=True)
