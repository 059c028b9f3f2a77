"""Partner API keys: issuing, revoking, scoping, and checking a key (and its per-minute limit) on each call.

Open311 POSTs and JSON API calls present the same keys. This resolves a key; what a key may do to a
request is decided by its scopes in cityhall.requests.access.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from cityhall.catalogue.models import Jurisdiction
from cityhall.core import clock
from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.requests.access import DEFAULT_PARTNER_SCOPES

from .models import ApiKey, ApiKeyUsage, hash_key, validate_scopes

# Per-minute counters are only read for the current minute; older rows are swept now and then.
USAGE_KEPT_FOR = timedelta(days=1)


class Refusal(StrEnum):
    """Why a key was refused, for each interface to word in its own format."""

    MISSING = "missing"
    INVALID = "invalid"
    REVOKED = "revoked"
    JURISDICTION = "jurisdiction"
    RATE_LIMITED = "rate_limited"


class KeyRefused(Exception):
    """A call the key does not allow: `reason` says why; 429 when over the limit, otherwise 401/403 by interface."""

    def __init__(self, reason: Refusal, key: ApiKey | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.key = key


def seconds_to_next_minute(now: datetime) -> int:
    """How long a key over its per-minute limit waits (a Retry-After), at least one second."""
    return max(1, 60 - now.second)


def authorise(raw_key: str | None, jurisdiction_id: int | None) -> ApiKey:
    """The active key (for this jurisdiction, when one is named), counted against its per-minute limit.

    Raises KeyRefused. Open311 POSTs and JSON API calls count against the same limit.
    """
    raw = (raw_key or "").strip()
    if not raw:
        raise KeyRefused(Refusal.MISSING)
    key = _key_by_hash(hash_key(raw))
    if key is None:
        raise KeyRefused(Refusal.INVALID)
    if not key.is_active:
        raise KeyRefused(Refusal.REVOKED, key)
    if jurisdiction_id is not None and key.jurisdiction_id is not None and key.jurisdiction_id != jurisdiction_id:
        raise KeyRefused(Refusal.JURISDICTION, key)
    now = clock.now()
    minute = now.replace(second=0, microsecond=0)
    # Each statement commits on its own: the counter is one atomic upsert, and "last used" is a hint.
    if not _count_post(key, minute):
        raise KeyRefused(Refusal.RATE_LIMITED, key)
    # At most one write a minute for "last used": the first call of each minute stamps it.
    if key.last_used_at is None or key.last_used_at < minute:
        ApiKey.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=minute), pk=key.pk).update(
            last_used_at=now
        )
        key.last_used_at = now
    return key


def _key_by_hash(digest: str) -> ApiKey | None:
    """The key with this hash; written out, as every partner call asks it (the ORM's query cost more)."""
    table = ApiKey._meta.db_table
    return next(iter(ApiKey.objects.raw(f"SELECT * FROM {table} WHERE key_hash = %s", [digest])), None)  # noqa: S608


def _count_post(key: ApiKey, minute: datetime) -> bool:
    """Add one call to this minute's counter unless it is full; False when it is.

    One statement, atomic in the database, so the limit holds across web processes: the row is made
    by the minute's first call, and the update that adds one is skipped once the count reaches the
    limit (PostgreSQL re-checks it after waiting for a concurrent writer; SQLite runs one writer at
    a time). Refused calls are not counted.
    """
    table = ApiKeyUsage._meta.db_table
    sql = (
        f"INSERT INTO {table} (key_id, minute, count) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (key_id, minute) DO UPDATE SET count = {table}.count + 1 "
        f"WHERE {table}.count < %s RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key.pk, connection.ops.adapt_datetimefield_value(minute), key.rate_limit_per_minute])
        counted = cursor.fetchone()
    if counted is None:
        return False
    if counted[0] == 1:  # first call of a minute: a good moment to drop this key's old counters
        ApiKeyUsage.objects.filter(key=key, minute__lt=minute - USAGE_KEPT_FOR).delete()
    return True


def issue_key(
    *,
    name: str,
    contact_email: str = "",
    jurisdiction: Jurisdiction | None = None,
    rate_limit_per_minute: int = 60,
    scopes: Iterable[str] = DEFAULT_PARTNER_SCOPES,
) -> tuple[ApiKey, str]:
    """Create a key for a partner; returns the row and the key itself, which is never stored (show it once).

    Raises ValidationFailed (naming the field) for a duplicate or empty name, a bad email, a limit
    below 1, or no or unknown scopes.
    """
    key = ApiKey(
        name=name.strip(),
        contact_email=contact_email.strip(),
        jurisdiction=jurisdiction,
        rate_limit_per_minute=rate_limit_per_minute,
        scopes=_scope_list(scopes),
    )
    raw = key.issue()
    if rate_limit_per_minute < 1:
        raise ValidationFailed({"rate_limit_per_minute": "Allow at least 1 call per minute."})
    if ApiKey.objects.filter(name=key.name).exists():
        raise ValidationFailed({"name": f"An API key named “{key.name}” already exists."})
    try:
        key.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(_first_messages(exc)) from exc
    try:
        with transaction.atomic():
            key.save()
    except IntegrityError as exc:  # The same name created between the check and the insert.
        raise ValidationFailed({"name": f"An API key named “{key.name}” already exists."}) from exc
    return key, raw


def revoke_key(*, name: str) -> ApiKey:
    """Revoke the key with this name (its calls are refused from now on); revoking twice keeps the first date."""
    with transaction.atomic():
        ApiKey.objects.filter(name=name, revoked_at__isnull=True).update(revoked_at=clock.now())
        key = ApiKey.objects.filter(name=name).first()
    if key is None:
        raise NotFound(f"There is no API key named “{name}”.", field="name")
    return key


def rotate_key(*, name: str) -> tuple[ApiKey, str]:
    """Give the key with this name a new secret and return it (show it once): the old one is refused from
    now on, and the key keeps its name, scopes, limit and history. A revoked key stays revoked."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().filter(name=name).first()
        if key is None:
            raise NotFound(f"There is no API key named “{name}”.", field="name")
        raw = key.issue()
        key.save(update_fields=["key_hash", "key_hint"])
    return key, raw


def set_scopes(*, name: str, scopes: Iterable[str]) -> ApiKey:
    """Replace what the key with this name may do; it applies to its next call. Refuses no or unknown scopes."""
    wanted = _scope_list(scopes)
    key = ApiKey.objects.filter(name=name).first()
    if key is None:
        raise NotFound(f"There is no API key named “{name}”.", field="name")
    ApiKey.objects.filter(pk=key.pk).update(scopes=wanted)
    key.scopes = wanted
    return key


def _scope_list(scopes: Iterable[str]) -> list[str]:
    """Scopes as stored: each once, in a stable order; ValidationFailed names the scopes field."""
    wanted = sorted({str(scope) for scope in scopes})
    try:
        validate_scopes(wanted)
    except ValidationError as exc:
        raise ValidationFailed({"scopes": " ".join(exc.messages)}) from exc
    return wanted


def _first_messages(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, messages in exc.message_dict.items():
        label = "name" if field == NON_FIELD_ERRORS else field
        errors.setdefault(label, " ".join(messages))
    return errors
