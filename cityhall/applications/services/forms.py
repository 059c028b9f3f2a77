"""The resident's writes: publishing a form, starting, saving, signing and submitting an application.

`form_publish` snapshots a working form (and its approval steps) into a new immutable version;
`application_start`, `application_save` (a draft: answers and documents), `application_submit`
(signature and submission; the first stage of review steps opens).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.catalogue.models import Jurisdiction
from cityhall.core import clock
from cityhall.core.errors import DomainError, ValidationFailed
from cityhall.geo import geocoding
from cityhall.geo.lookup import jurisdiction_contains

from .. import bounds, schema, signing
from ..access import actor_for
from ..available import action_refusal
from ..consent import CONSENT_TEXT, CONSENT_VERSION
from ..documents import CheckedDocument, DocumentRejected, Readable, check_document
from ..events import EventDraft, record, record_all
from ..fields import Kind, Locator, Place, clean_answers
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    Channel,
    DigitalService,
    FormVersion,
    Signature,
    Status,
)
from ..problems import Problem
from ..workflow import Action
from .steps import jurisdiction_of, stage_open, steps_create


@dataclass(frozen=True)
class Upload:
    """A file as sent: its bytes (a stream) and the name the person's device gave it."""

    stream: Readable
    name: str


def form_publish(service: DigitalService, *, by: User | None) -> FormVersion:
    """A new version from the working form; earlier versions and the applications on them are untouched."""
    snapshot = schema.snapshot(service)
    with transaction.atomic():
        DigitalService.objects.select_for_update().filter(pk=service.pk).first()
        last = FormVersion.objects.filter(service=service).aggregate(last=Max("number"))["last"] or 0
        return FormVersion.objects.create(
            service=service, number=last + 1, schema=snapshot, published_at=clock.now(), published_by=by
        )


def locator(jurisdiction: Jurisdiction | None) -> Locator:
    """An address as the report form places it: found by the city's geocoder, and inside the city."""

    def locate(text: str) -> Place | None:
        if jurisdiction is None:
            return None
        found = geocoding.locate(jurisdiction, text)
        if found is None or not jurisdiction_contains(jurisdiction, found.lat, found.lng):
            return None
        return Place(found.label, found.lat, found.lng)

    return locate


def today() -> date:
    return timezone.localdate(clock.now())


def application_start(
    service: DigitalService, *, applicant: User, channel: Channel = Channel.WEB, language: str = "en"
) -> Application:
    version = FormVersion.objects.filter(service=service).order_by("-number").first()
    if version is None or not service.is_active:
        raise DomainError(Problem.NOT_OFFERED, field="service")
    now = clock.now()
    with transaction.atomic():
        application = Application.objects.create(
            service=service,
            form_version=version,
            applicant=applicant,
            channel=channel,
            language=language[:8],
            created_at=now,
            updated_at=now,
        )
        record(application, ApplicationEvent.Kind.STARTED, actor=applicant, at=now, status_to=Status.DRAFT)
    return application


def _check_uploads(
    application: Application, specs: dict[str, Any], uploads: Mapping[str, Sequence[Upload]]
) -> dict[str, list[CheckedDocument]]:
    errors: dict[str, str] = {}
    checked: dict[str, list[CheckedDocument]] = {}
    kept = sum(len(application.answers.get(key) or []) for key, spec in specs.items() if spec.kind == Kind.FILE)
    for key, files in uploads.items():
        if not files:
            continue
        if key not in specs or specs[key].kind != Kind.FILE:
            errors[key] = str(Problem.NOT_A_FILE_FIELD.label)
            continue
        try:
            checked[key] = [check_document(upload.stream, upload.name) for upload in files]
        except DocumentRejected as rejected:
            errors[key] = rejected.message
        kept += len(files)
    if kept > bounds.MAX_FILES_PER_APPLICATION:
        errors.setdefault(next(iter(uploads)), str(Problem.TOO_MANY_FILES.label))
    if errors:
        raise ValidationFailed(errors)
    return checked


def _locked_draft(application: Application) -> Application:
    locked = Application.objects.select_for_update().select_related("service", "form_version").get(pk=application.pk)
    if locked.status != Status.DRAFT:
        raise DomainError(Problem.NOT_DRAFT)
    return locked


def application_save(
    application: Application,
    *,
    answers: Mapping[str, Any],
    uploads: Mapping[str, Sequence[Upload]] | None = None,
    actor: User,
    locate: Locator | None = None,
) -> Application:
    """Saves a draft: what is answered must be well formed (required answers wait for the submission).

    Answers to file questions are not taken from `answers`: they are the files already attached plus
    the new `uploads`, each checked before anything is written. Raises ValidationFailed by field key.
    """
    if application.status != Status.DRAFT:
        raise DomainError(Problem.NOT_DRAFT)
    specs = {spec.key: spec for spec in schema.specs_of(application.form_version.schema)}
    checked = _check_uploads(application, specs, uploads or {})
    raw = {key: value for key, value in answers.items() if key in specs and specs[key].kind != Kind.FILE}
    for key, spec in specs.items():
        if spec.kind == Kind.FILE:
            raw[key] = list(application.answers.get(key) or []) + [
                {"id": "pending", "name": doc.name, "sha256": doc.sha256} for doc in checked.get(key, [])
            ]
    locate = locate or locator(jurisdiction_of(application.service))
    cleaned, errors = clean_answers(list(specs.values()), raw, complete=False, locate=locate, today=today())
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    with transaction.atomic():
        locked = _locked_draft(application)
        for key, documents in checked.items():
            stored = [file_store(locked, key, document, now) for document in documents]
            cleaned[key] = [entry for entry in cleaned.get(key, []) if entry["id"] != "pending"] + stored
            record(locked, ApplicationEvent.Kind.FILE_ADDED, actor=actor, at=now)
        locked.answers = cleaned
        locked.updated_at = now
        locked.save(update_fields=["answers", "updated_at"])
        record(locked, ApplicationEvent.Kind.SAVED, actor=actor, at=now)
    return locked


def file_store(application: Application, key: str, document: CheckedDocument, at: datetime) -> dict[str, str]:
    stored = ApplicationFile(
        id=uuid.uuid4().hex,
        application=application,
        field_key=key,
        name=document.name,
        content_type=document.content_type,
        size=len(document.content),
        sha256=document.sha256,
        created_at=at,
    )
    stored.file.save(f"{stored.id}.{document.extension}", ContentFile(document.content), save=False)
    stored.save()
    return {"id": stored.id, "name": stored.name, "sha256": stored.sha256}


def submission_errors(application: Application) -> dict[str, str]:
    """What still stops the submission: required answers missing (in the active language), by field key."""
    specs = schema.specs_of(application.form_version.schema)
    _answers, errors = clean_answers(specs, application.answers, complete=True, locate=_keep_places, today=today())
    return errors


def _keep_places(text: str) -> Place | None:
    """Submission re-reads answers placed when they were saved; it does not geocode them again."""
    return Place(text, 0.0, 0.0)


def application_submit(
    application: Application,
    *,
    typed_name: str,
    consent: bool,
    reviewed: str,
    actor: User,
    ip_address: str | None,
    user_agent: str,
) -> Signature:
    """Signs and submits a complete draft: the signature records who, when, from where and what (its hash)."""
    name = " ".join(typed_name.split())
    errors: dict[str, Any] = {}
    if not name or len(name) > bounds.MAX_SIGNER_NAME:
        errors["typed_name"] = Problem.SIGNER_NAME
    if not consent:
        errors["consent"] = Problem.CONSENT
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    with transaction.atomic():
        locked = _locked_draft(application)
        if refusal := action_refusal(locked, Action.SUBMIT, actor_for(actor, locked), now):
            raise refusal
        if signing.answers_digest(locked) != reviewed:
            raise ValidationFailed({"reviewed": Problem.CHANGED})
        if missing := submission_errors(locked):
            raise ValidationFailed(missing)
        content = signing.canonical(signing.signed_document(locked, typed_name=name, consent_version=CONSENT_VERSION))
        signature = Signature.objects.create(
            application=locked,
            typed_name=name,
            consent_version=CONSENT_VERSION,
            consent_text=str(CONSENT_TEXT),
            signed_at=now,
            ip_address=ip_address,
            user_agent=user_agent[:500],
            signed_content=content,
            sha256=signing.digest(content),
        )
        steps = steps_create(locked)
        locked.status = Status.IN_REVIEW if steps else Status.SUBMITTED
        locked.submitted_at = now
        locked.updated_at = now
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        submitted = EventDraft(ApplicationEvent.Kind.SUBMITTED, status_from=Status.DRAFT, status_to=locked.status)
        record_all(locked, [submitted, *stage_open(locked, steps, now)], actor=actor, at=now)
    return signature
