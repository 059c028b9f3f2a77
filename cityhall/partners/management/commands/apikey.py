"""`cityhall apikey create|rotate|scopes|revoke|list`: partner API keys for Open311 and the JSON API, from the shell.

`create` and `rotate` print the key itself as the last line of stdout, so a script can take it with `tail -1`.
It is shown only then: the database keeps its hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.catalogue.selectors import jurisdiction_ids, jurisdiction_named
from cityhall.core.errors import DomainError
from cityhall.partners.keys import issue_key, revoke_key, rotate_key, set_scopes
from cityhall.partners.models import ApiKey
from cityhall.requests.access import DEFAULT_PARTNER_SCOPES, PartnerScope

SCOPE_HELP = "; ".join(f"{scope.value}: {scope.label}" for scope in PartnerScope)
DEFAULT_HELP = " + ".join(DEFAULT_PARTNER_SCOPES)


class Command(BaseCommand):
    help = "Create, revoke or list the API keys partners use with Open311 and the JSON API (/api/v1/)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,rotate,scopes,revoke,list}")
        create = actions.add_parser("create", help="Issue a key and print it (last line of stdout).")
        create.add_argument("name", help="The partner, e.g. 'FixMyStreet Santa Monica' (unique).")
        create.add_argument("--email", default="", help="Who to contact about this key.")
        create.add_argument(
            "--jurisdiction", metavar="JURISDICTION_ID", help="Limit the key to this jurisdiction_id (default: any)."
        )
        create.add_argument(
            "--rate-limit",
            type=int,
            default=60,
            metavar="N",
            help="Calls allowed per minute (Open311 POSTs, JSON API).",
        )
        self._scope_argument(create, f"What the key may do, repeatable (default: {DEFAULT_HELP}). {SCOPE_HELP}.")
        rotate = actions.add_parser("rotate", help="Give a key a new secret and print it; the old one is refused.")
        rotate.add_argument("name", help="The key's name.")
        scopes = actions.add_parser("scopes", help="Replace what a key may do (from its next call on).")
        scopes.add_argument("name", help="The key's name.")
        self._scope_argument(scopes, f"The key's new scopes, repeatable; at least one. {SCOPE_HELP}.", required=True)
        revoke = actions.add_parser("revoke", help="Revoke a key: its calls are refused from now on.")
        revoke.add_argument("name", help="The key's name.")
        actions.add_parser("list", help="List the keys (never the keys themselves).")

    @staticmethod
    def _scope_argument(parser: CommandParser, text: str, *, required: bool = False) -> None:
        parser.add_argument(
            "--scope", dest="scopes", action="append", choices=PartnerScope.values, required=required, help=text
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                scopes = options["scopes"] or DEFAULT_PARTNER_SCOPES
                self._create(options["name"], options["email"], options["jurisdiction"], options["rate_limit"], scopes)
            elif action == "rotate":
                key, raw = rotate_key(name=options["name"])
                self.stdout.write(
                    f"API key “{key.name}” has a new secret; the old one is refused from now on. "
                    "The key is the next line; copy it now: it is not stored."
                )
                self.stdout.write(raw)
            elif action == "scopes":
                key = set_scopes(name=options["name"], scopes=options["scopes"])
                self.stdout.write(f"API key “{key.name}” may now: {', '.join(key.scopes)}.")
            elif action == "revoke":
                self._revoke(options["name"])
            else:
                self._list()
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(
        self, name: str, email: str, jurisdiction_id: str | None, rate_limit: int, scopes: Iterable[str]
    ) -> None:
        jurisdiction = None
        if jurisdiction_id:
            jurisdiction = jurisdiction_named(jurisdiction_id)
            if jurisdiction is None:
                known = ", ".join(jurisdiction_ids()) or "none"
                raise CommandError(f"There is no jurisdiction “{jurisdiction_id}” (known: {known}).")
        key, raw = issue_key(
            name=name,
            contact_email=email,
            jurisdiction=jurisdiction,
            rate_limit_per_minute=rate_limit,
            scopes=scopes,
        )
        where = f"jurisdiction {jurisdiction.jurisdiction_id}" if jurisdiction else "any jurisdiction"
        self.stdout.write(
            f"Created API key “{key.name}” ({where}, {key.rate_limit_per_minute} calls per minute, "
            f"scopes {', '.join(key.scopes)}). "
            "The key is the next line; copy it now: it is not stored."
        )
        self.stdout.write(raw)

    def _revoke(self, name: str) -> None:
        key = revoke_key(name=name)
        assert key.revoked_at is not None
        self.stdout.write(f"API key “{key.name}” ({key.key_hint}…) is revoked since {_when(key.revoked_at)}.")

    def _list(self) -> None:
        rows = [["NAME", "HINT", "JURISDICTION", "SCOPES", "LIMIT/MIN", "STATUS", "LAST USED"]]
        for key in ApiKey.objects.select_related("jurisdiction"):
            rows.append(
                [
                    key.name,
                    f"{key.key_hint}…",
                    key.jurisdiction.jurisdiction_id if key.jurisdiction else "any",
                    ",".join(key.scopes),
                    str(key.rate_limit_per_minute),
                    "active" if key.revoked_at is None else f"revoked {_when(key.revoked_at)}",
                    _when(key.last_used_at) if key.last_used_at else "never",
                ]
            )
        if len(rows) == 1:
            self.stdout.write("No API keys yet: create one with `cityhall apikey create NAME`.")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
