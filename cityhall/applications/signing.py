"""Exactly what a person signs: the application's canonical JSON, and its SHA-256.

Canonical: keys sorted, no spaces, UTF-8, so the same application always gives the same bytes and a
stored signature can be checked again later (`Signature.signed_content` against `Signature.sha256`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .models import Application


def signed_document(application: Application, *, typed_name: str, consent_version: str) -> dict[str, Any]:
    return {
        "application": application.reference,
        "service": application.service.code,
        "form_version": application.form_version.number,
        "answers": application.answers,
        "signer": typed_name,
        "consent_version": consent_version,
    }


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answers_digest(application: Application) -> str:
    """What the review page showed: the answers and version; signing refuses if they changed since."""
    return digest(canonical({"version": application.form_version.pk, "answers": application.answers}))
