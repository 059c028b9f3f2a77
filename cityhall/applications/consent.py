"""The words a person agrees to when they sign an application electronically, versioned.

The signature keeps the version and the exact words shown (in the person's language), so a later
change of wording never changes what a past signer agreed to. Change the words: add a version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-12"
CONSENT_TEXT = _(
    "I agree to sign this application electronically. Typing my name below has the same effect as "
    "my handwritten signature. I confirm that the information I gave is true and complete to the "
    "best of my knowledge. I may ask the city for a paper form instead."
)
