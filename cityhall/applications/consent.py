"""The words a person agrees to when they sign an application electronically, versioned.

The signature keeps the version and the exact words shown (in the person's language), so a later
change of wording never changes what a past signer agreed to. Change the words: add a version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .models import Channel

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

CONSENT_VERSION = "2026-12"
CONSENT_TEXT = _(
    "I agree to sign this application electronically. Typing my name below has the same effect as "
    "my handwritten signature. I confirm that the information I gave is true and complete to the "
    "best of my knowledge. I may ask the city for a paper form instead."
)

# A paper application (channel "paper"): the applicant signed the form by hand; the staff member who
# keys it in confirms that, and the scan of the signed paper is attached to the application.
PAPER_CONSENT_VERSION = "paper-2026-12"
PAPER_CONSENT_TEXT = _(
    "The applicant signed the paper form by hand, and its scan is attached. I keyed in their answers "
    "as written on it and checked them against the paper."
)


def consent_for(channel: str) -> tuple[str, StrPromise]:
    """The version and words of what the signer agrees to, for an application made on this channel."""
    if channel == Channel.PAPER:
        return PAPER_CONSENT_VERSION, PAPER_CONSENT_TEXT
    return CONSENT_VERSION, CONSENT_TEXT
