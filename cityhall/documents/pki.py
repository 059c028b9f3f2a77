"""The city's certificate authority, its seal and the staff's keys, with the `cryptography` library.

Demo and development: the authority and the seal are created on first need in the signing directory
(`CITYHALL_SIGNING_DIR`, under the data directory: never in the repository). Each private key is
written to a file created 0600 in a 0700 directory, so only the service's account can read it.
Production: the authority and the seal come from PKCS#12 files (`CITYHALL_SIGNING_CA_PKCS12`,
`CITYHALL_SIGNING_SEAL_PKCS12`, their passphrases from the environment), or the seal's key from a
PKCS#11 token (token.py); docs/documents.md.
Private keys are never served, logged or exported: nothing here returns their bytes to a caller.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from cityhall.catalogue.selectors import site_name
from cityhall.core import clock

from . import token

AUTHORITY_FILE = "city-authority.pem"
SEAL_FILE = "city-seal.pem"
STAFF_DIR = "staff"
AUTHORITY_YEARS = 20
SEAL_YEARS = 5
STAFF_YEARS = 3
# The CRL is drawn afresh from the database on each download; a validator may cache it this long.
CRL_HOURS = 24

PrivateKey = ec.EllipticCurvePrivateKey


class SigningNotConfigured(Exception):
    """A production key store is named in the settings but cannot be opened."""


@dataclass(frozen=True)
class KeyPair:
    key: PrivateKey
    certificate: x509.Certificate

    def __repr__(self) -> str:  # never the key, even in a traceback or a log line
        return f"KeyPair({self.certificate.subject.rfc4514_string()})"


def signing_dir() -> Path:
    path = Path(settings.CITYHALL_SIGNING_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def crl_url() -> str:
    return str(settings.CITYHALL_PUBLIC_URL).rstrip("/") + "/documents/crl.crl"


def serial_hex(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


def organization() -> str:
    """Who the certificates name as their organization: the setting, else the site's city."""
    if settings.CITYHALL_SIGNING_ORGANIZATION:
        return str(settings.CITYHALL_SIGNING_ORGANIZATION)
    return site_name()


def _name(common_name: str, *, email: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization()[:64]),
    ]
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email[:128]))
    return x509.Name(attributes)


def _key_usage(*, authority: bool) -> x509.KeyUsage:
    """An authority signs certificates and CRLs only; a signer's key signs documents only (non-repudiation)."""
    return x509.KeyUsage(
        digital_signature=not authority,
        content_commitment=not authority,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=authority,
        crl_sign=authority,
        encipher_only=False,
        decipher_only=False,
    )


def _new_key() -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(pair: KeyPair) -> bytes:
    key = pair.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key + pair.certificate.public_bytes(serialization.Encoding.PEM)


def _read_pem(path: Path) -> KeyPair:
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningNotConfigured(f"{path.name} does not hold an elliptic-curve key")
    return KeyPair(key, x509.load_pem_x509_certificate(data))


def _write_new(path: Path, pair: KeyPair) -> KeyPair:
    """Writes a key pair to a file only the service may read; if another process won the race, its pair wins."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(_pem(pair))
        os.link(temporary, path)  # atomic, and fails when the file exists
    except FileExistsError:
        return _read_pem(path)
    finally:
        temporary.unlink(missing_ok=True)
    return pair


def _from_pkcs12(path: str, passphrase: str) -> KeyPair:
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            Path(path).read_bytes(), passphrase.encode() if passphrase else None
        )
    except (OSError, ValueError) as error:
        raise SigningNotConfigured(
            f"cannot open the PKCS#12 file named in the settings: {type(error).__name__}"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or certificate is None:
        raise SigningNotConfigured("the PKCS#12 file must hold an elliptic-curve key and its certificate")
    return KeyPair(key, certificate)


def _validity(years: int) -> tuple[dt.datetime, dt.datetime]:
    start = clock.now() - dt.timedelta(minutes=5)  # a verifier's clock a little behind ours still accepts it
    return start, start + dt.timedelta(days=365 * years)


def _authority_certificate(key: PrivateKey) -> x509.Certificate:
    name = _name(f"{organization()} Root Certificate Authority")
    not_before, not_after = _validity(AUTHORITY_YEARS)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(authority=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _configured_or_kept(pkcs12_path: str, passphrase: str, file_name: str, create: Callable[[], KeyPair]) -> KeyPair:
    """Production's PKCS#12 file when the settings name one; else the demo's file, created on first need."""
    if pkcs12_path:
        return _from_pkcs12(pkcs12_path, passphrase)
    path = signing_dir() / file_name
    if path.exists():
        return _read_pem(path)
    return _write_new(path, create())


def _new_authority() -> KeyPair:
    key = _new_key()
    return KeyPair(key, _authority_certificate(key))


def city_authority() -> KeyPair:
    """The authority that issues the seal's and the staff's certificates and signs the CRL."""
    return _configured_or_kept(
        settings.CITYHALL_SIGNING_CA_PKCS12, settings.CITYHALL_SIGNING_CA_PASSPHRASE, AUTHORITY_FILE, _new_authority
    )


def trust_root() -> x509.Certificate:
    return city_authority().certificate


def issue(common_name: str, *, email: str = "", years: int) -> KeyPair:
    """A new key and its certificate from the city's authority, naming the CRL that will list it if revoked."""
    key = _new_key()
    return KeyPair(key, certify(key.public_key(), common_name, email=email, years=years))


def certify(
    public_key: ec.EllipticCurvePublicKey, common_name: str, *, email: str = "", years: int
) -> x509.Certificate:
    """The authority's certificate for a public key whose private half it never sees (a token's)."""
    authority = city_authority()
    not_before, not_after = _validity(years)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, email=email))
        .issuer_name(authority.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(min(not_after, authority.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(authority=False), critical=True)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url())], None, None, None)]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )


def seal_name() -> str:
    return f"{organization()} Seal"


def city_seal() -> KeyPair | token.TokenKey:
    """The city's own certificate, which seals every document last: its key on a token, or in a key pair."""
    if token.configured():
        with seal_token_refusals():
            return token.seal_key()
    return _configured_or_kept(
        settings.CITYHALL_SIGNING_SEAL_PKCS12,
        settings.CITYHALL_SIGNING_SEAL_PASSPHRASE,
        SEAL_FILE,
        lambda: issue(seal_name(), years=SEAL_YEARS),
    )


def certify_token_seal() -> x509.Certificate:
    """The authority's certificate for the seal's key on the token, stored on the token beside the key."""
    with seal_token_refusals():
        certificate = certify(token.public_key(), seal_name(), years=SEAL_YEARS)
        token.store_certificate(certificate)
    return certificate


@contextmanager
def seal_token_refusals() -> Iterator[None]:
    """The token's failures as the seal's: SigningNotConfigured, naming the part (never the PIN)."""
    try:
        yield
    except token.TokenUnavailable as error:
        raise SigningNotConfigured(f"the city seal's token: {error}") from None


# Once the keys open, /readyz asks again only after this many seconds, not on every probe: each check
# opens a session on the token and logs in (an HSM counts and logs those), and every machine is probed
# every few seconds. A failing answer is never remembered, so a mended token is seen at the next probe.
READY_REMEMBERED_SECONDS = 30
_ready_since: dict[tuple[str, ...], float] = {}  # the signing settings -> when their keys last opened


def production_keys_check() -> str:
    """`ok` when every production key the settings name opens (the token: module, PIN, key, and a
    certificate from the city's authority for that key); else a short reason, naming no path or label.
    The demo's keys, made on first need, are not created here. An `ok` is remembered for
    READY_REMEMBERED_SECONDS under the signing settings it was found with."""
    named = tuple(str(getattr(settings, name)) for name in dir(settings) if name.startswith("CITYHALL_SIGNING_"))
    now = clock.now().timestamp()
    since = _ready_since.get(named)
    if since is not None and 0 <= now - since < READY_REMEMBERED_SECONDS:
        return "ok"
    answer = _keys_open()
    _ready_since.clear()  # one entry: the settings this process runs with
    if answer == "ok":
        _ready_since[named] = now
    return answer


def _keys_open() -> str:
    if settings.CITYHALL_SIGNING_CA_PKCS12 or settings.CITYHALL_SIGNING_SEAL_PKCS12:
        try:
            city_authority()
            if settings.CITYHALL_SIGNING_SEAL_PKCS12:
                city_seal()
        except SigningNotConfigured:
            return "unavailable: a PKCS#12 file named in the settings cannot be opened"
    if not token.configured():
        return "ok"
    try:
        seal = token.seal_key()
        matches = seal.certificate.public_key() == token.public_key()
    except token.TokenUnavailable as error:
        return f"unavailable: {error.reason}"
    if not matches:
        return "unavailable: the seal's certificate is for another key"
    authority = city_authority()
    try:
        seal.certificate.verify_directly_issued_by(authority.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return "unavailable: the seal's certificate is not from the city's authority"
    if seal.certificate.not_valid_after_utc <= clock.now():
        return "unavailable: the seal's certificate has expired"
    return "ok"


def staff_key_pair(serial: str) -> KeyPair | None:
    path = signing_dir() / STAFF_DIR / f"{serial}.pem"
    return _read_pem(path) if path.exists() else None


def store_staff_key_pair(pair: KeyPair) -> None:
    folder = signing_dir() / STAFF_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    _write_new(folder / f"{serial_hex(pair.certificate)}.pem", pair)


def forget_staff_key(serial: str) -> None:
    """A revoked certificate's key is deleted: nothing can sign with it again."""
    (signing_dir() / STAFF_DIR / f"{serial}.pem").unlink(missing_ok=True)


def revocation_list(revoked: list[tuple[str, dt.datetime]]) -> x509.CertificateRevocationList:
    """The CRL of the given (serial, revoked at) pairs, signed by the city's authority."""
    authority = city_authority()
    now = clock.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(hours=CRL_HOURS))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    for serial, revoked_at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(serial, 16)).revocation_date(revoked_at).build()
        )
    return builder.sign(authority.key, hashes.SHA256())


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
