"""Make a VAPID key pair for web push and print it as the three environment lines to set."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand, CommandParser


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def vapid_key_pair() -> tuple[str, str]:
    """(public, private): the public key as browsers take it (uncompressed P-256 point), the private
    key as its raw 32 bytes; both base64url without padding, the form pywebpush reads."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(public), _b64url(private.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = "Generate a VAPID key pair for web push; prints CITYHALL_VAPID_* lines for the environment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subject", default="mailto:311@example.gov", help="A mailto: or https: contact.")

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = vapid_key_pair()
        self.stdout.write(f"CITYHALL_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"CITYHALL_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"CITYHALL_VAPID_SUBJECT={options['subject']}")
        self.stderr.write("Keep the private key secret; changing the pair makes every browser subscribe again.")
