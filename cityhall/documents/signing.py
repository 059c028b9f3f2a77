"""Incremental PAdES signatures with pyHanko: each approver's, then the city's seal.

Every signature is appended as a new revision, so earlier signatures stay valid and a validator can
tell what changed after each (docs/documents.md). With `CITYHALL_SIGNING_TSA_URL` set, each signature
carries an RFC 3161 timestamp from that authority.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import blocking, token
from .pki import KeyPair, seal_token_refusals, trust_root


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signer(pair: KeyPair) -> signers.SimpleSigner:
    key = asn1_keys.PrivateKeyInfo.load(
        pair.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    chain = SimpleCertificateStore.from_certs([asn1_certificate(trust_root())])  # type: ignore[no-untyped-call]  # untyped upstream
    return signers.SimpleSigner(signing_cert=asn1_certificate(pair.certificate), signing_key=key, cert_registry=chain)


@contextmanager
def _signing(pair: KeyPair | token.TokenKey) -> Iterator[signers.Signer]:
    """pyHanko's signer: on the token for a token's key (the key never leaves it), else in memory."""
    if not isinstance(pair, token.TokenKey):
        yield _signer(pair)
        return
    with seal_token_refusals(), token.signer(pair, [asn1_certificate(trust_root())]) as on_token:
        yield on_token


def _timestamper() -> timestamps.TimeStamper | None:
    url = settings.CITYHALL_SIGNING_TSA_URL
    return timestamps.HTTPTimeStamper(url) if url else None


def sign(pdf: bytes, pair: KeyPair | token.TokenKey, *, field_name: str, signer_name: str, reason: str) -> bytes:
    """The PDF with one more signature, by `pair`, appended as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name,
        reason=reason,
    )
    with _signing(pair) as signer:
        output = blocking.run(
            lambda: signers.async_sign_pdf(writer, metadata, signer=signer, timestamper=_timestamper())
        )
    return bytes(output.getvalue())
