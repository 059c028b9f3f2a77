"""`cityhall documents init-ca|certificates|revoke|seal-certificate`: the city's signing authority from the shell.

`init-ca` creates the demo authority and seal in the signing directory if they are missing (the site
also creates them on first need) and prints the root certificate's fingerprint, never a key.
`seal-certificate --pkcs11` has the authority certify the seal's key on the configured PKCS#11 token
(read from the token, its private half never leaving it) and stores the certificate on the token.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.errors import DomainError
from cityhall.documents import pki
from cityhall.documents.selectors import certificates_held_by, signing_certificates
from cityhall.documents.services import signing_certificate_revoke


class Command(BaseCommand):
    help = "Create the city's signing authority, list the certificates it issued, or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{init-ca,certificates,revoke,seal-certificate}"
        )
        actions.add_parser("init-ca", help="Create the authority and the city's seal if missing; print the root.")
        actions.add_parser("certificates", help="List the certificates issued (serial, holder, revoked).")
        revoke = actions.add_parser("revoke", help="Revoke a certificate: the CRL lists it from now on.")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--serial", help="The certificate's serial number (hexadecimal).")
        which.add_argument("--email", help="Revoke every certificate this person holds (they left, or lost a key).")
        revoke.add_argument("--reason", required=True, help="Why, kept with the certificate.")
        seal = actions.add_parser(
            "seal-certificate", help="Certify the seal's key on the PKCS#11 token and store the certificate there."
        )
        seal.add_argument("--pkcs11", action="store_true", required=True, help="The key on the configured token.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "init-ca":
                self._init_ca()
            elif action == "seal-certificate":
                certificate = pki.certify_token_seal()
                self.stdout.write(f"Stored on the token: {certificate.subject.rfc4514_string()}")
                self.stdout.write(
                    f"Serial {pki.serial_hex(certificate)}, valid until {certificate.not_valid_after_utc:%Y-%m-%d}."
                )
            elif action == "certificates":
                for row in signing_certificates():
                    state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "valid"
                    self.stdout.write(f"{row.serial}\t{row.purpose}\t{row.subject_name}\t{state}")
            else:
                rows = certificates_held_by(email=options["email"], serial=options["serial"])
                if not rows:
                    raise CommandError("No such certificate.")
                for row in rows:
                    signing_certificate_revoke(row, reason=options["reason"])
                    self.stdout.write(f"Revoked {row.serial} ({row.subject_name}).")
        except (DomainError, pki.SigningNotConfigured) as error:
            raise CommandError(str(error)) from None

    def _init_ca(self) -> None:
        root = pki.trust_root()
        pki.city_seal()
        fingerprint = root.fingerprint(hashes.SHA256()).hex(":").upper()
        self.stdout.write(f"City root certificate: {root.subject.rfc4514_string()}")
        self.stdout.write(f"SHA-256 fingerprint: {fingerprint}")
        self.stdout.write("Published at /documents/trust-root.pem; its CRL at /documents/crl.crl.")
