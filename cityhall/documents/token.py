"""The city's seal on a PKCS#11 token (an HSM, a smart card, SoftHSM): its key never leaves the token.

Configured by `CITYHALL_SIGNING_SEAL_PKCS11_MODULE` (the token's module, a .so), `…_TOKEN` (the
token's label), `…_KEY` (the private key's label) and `…_PIN` (never logged or served); the seal's
certificate is the one on the token under the key's label, or the PEM file `…_CERTIFICATE` names.
pyHanko signs through the token (`pyhanko.sign.pkcs11`, with python-pkcs11); everything that goes
wrong with the token is a `TokenUnavailable` whose words name the part (module, token, PIN, key,
certificate) and never the PIN. docs/documents.md, "Production keys".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pkcs11
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from pkcs11 import Attribute, ObjectClass
from pkcs11.util.ec import encode_ec_public_key
from pkcs11.util.x509 import decode_x509_certificate

if TYPE_CHECKING:
    from pyhanko.sign.pkcs11 import PKCS11Signer


class TokenUnavailable(Exception):
    """The configured token cannot seal: the words say which part failed, never the PIN.

    `reason` says it without the token's or the key's label (for /readyz, which anyone may ask)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TokenKey:
    """Where the seal's key lives, and the certificate the city's authority issued for it."""

    token: str
    label: str
    certificate: x509.Certificate

    def __repr__(self) -> str:
        return f"TokenKey({self.token}/{self.label}: {self.certificate.subject.rfc4514_string()})"


def configured() -> bool:
    return bool(settings.CITYHALL_SIGNING_SEAL_PKCS11_MODULE)


_loaded_in: dict[str, int] = {}  # module path -> the process that initialised it


def _library() -> Any:
    """The module, initialised in this process (a forked worker must initialise it again)."""
    module = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_MODULE)
    try:
        library = pkcs11.lib(module)
        if _loaded_in.setdefault(module, os.getpid()) != os.getpid():
            library.reinitialize()
            _loaded_in[module] = os.getpid()
    except (RuntimeError, OSError, pkcs11.PKCS11Error):
        raise TokenUnavailable(
            "the PKCS#11 module named in the settings cannot be loaded", "the module cannot be loaded"
        ) from None
    return library


@contextmanager
def session(*, login: bool = True, write: bool = False) -> Iterator[Any]:
    """A session on the configured token, logged in with the PIN when `login`."""
    label = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_TOKEN)
    try:
        token = _library().get_token(token_label=label)
    except (pkcs11.NoSuchToken, pkcs11.MultipleTokensReturned):
        raise TokenUnavailable(f"no single token labelled {label!r} on the PKCS#11 module", "no such token") from None
    except pkcs11.PKCS11Error:
        raise TokenUnavailable("the PKCS#11 module does not list its tokens", "the module lists no tokens") from None
    pin = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_PIN) if login else None
    try:
        opened = token.open(user_pin=pin, rw=write)
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange, pkcs11.PinExpired, pkcs11.PinLocked):
        raise TokenUnavailable(f"the token {label!r} refused the PIN", "the token refused the PIN") from None
    except pkcs11.PKCS11Error as error:
        raise TokenUnavailable(
            f"cannot open the token {label!r}: {type(error).__name__}", "the token cannot be opened"
        ) from None
    try:
        yield opened
    finally:
        opened.close()


def _one(opened: Any, object_class: ObjectClass, what: str) -> Any:
    label = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_KEY)
    found = list(opened.get_objects({Attribute.CLASS: object_class, Attribute.LABEL: label}))
    if len(found) != 1:
        count = "no" if not found else "more than one"
        raise TokenUnavailable(f"{count} {what} labelled {label!r} on the token", f"{count} {what} on the token")
    return found[0]


def public_key() -> ec.EllipticCurvePublicKey:
    """The seal key's public half, read from the token (no PIN needed)."""
    with session(login=False) as opened:
        der = encode_ec_public_key(_one(opened, ObjectClass.PUBLIC_KEY, "public key"))
    key = serialization.load_der_public_key(der)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise TokenUnavailable("the seal's key on the token is not an elliptic-curve key", "not an elliptic-curve key")
    return key


def _certificate(opened: Any) -> x509.Certificate:
    path = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_CERTIFICATE)
    if path:
        try:
            return x509.load_pem_x509_certificate(Path(path).read_bytes())
        except (OSError, ValueError):
            raise TokenUnavailable(
                "cannot read the seal's certificate file named in the settings", "no certificate"
            ) from None
    try:
        found = _one(opened, ObjectClass.CERTIFICATE, "certificate")
    except TokenUnavailable as error:
        raise TokenUnavailable(f"{error}: run `cityhall documents seal-certificate --pkcs11`", error.reason) from None
    return x509.load_der_x509_certificate(bytes(found[Attribute.VALUE]))


def seal_key() -> TokenKey:
    """The token's seal: its certificate, and (checked with the PIN) that its private key is there."""
    with session() as opened:
        _one(opened, ObjectClass.PRIVATE_KEY, "private key")
        certificate = _certificate(opened)
    return TokenKey(
        str(settings.CITYHALL_SIGNING_SEAL_PKCS11_TOKEN), str(settings.CITYHALL_SIGNING_SEAL_PKCS11_KEY), certificate
    )


def store_certificate(certificate: x509.Certificate) -> None:
    """Puts the seal's certificate on the token under the key's label and ID, replacing an older one."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    with session(write=True) as opened:
        key = _one(opened, ObjectClass.PRIVATE_KEY, "private key")
        label = str(settings.CITYHALL_SIGNING_SEAL_PKCS11_KEY)
        for old in opened.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}):
            old.destroy()
        attributes = decode_x509_certificate(der)
        attributes.update({Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key[Attribute.ID]})
        opened.create_object(attributes)


@contextmanager
def signer(key: TokenKey, chain: list[asn1_x509.Certificate]) -> Iterator[PKCS11Signer]:
    """pyHanko's signer on the token, for one signature; the session closes after it."""
    # pyHanko loads when the city first signs (docs/architecture.md, "Start-up").
    from pyhanko.sign.pkcs11 import PKCS11Signer

    with session() as opened:
        try:
            yield PKCS11Signer(
                opened,
                key_label=key.label,
                signing_cert=asn1_x509.Certificate.load(key.certificate.public_bytes(serialization.Encoding.DER)),
                ca_chain=chain,
                # pyHanko hashes, the token signs the digest (CKM_ECDSA): every EC token has that
                # mechanism, and many (SoftHSM among them) have no hash-and-sign one.
                use_raw_mechanism=True,
            )
        except pkcs11.PKCS11Error as error:
            raise TokenUnavailable(
                f"the token failed to sign: {type(error).__name__}", "the token failed to sign"
            ) from None
