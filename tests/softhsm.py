"""A real PKCS#11 token for the tests: SoftHSM v2 (tools/ensure-softhsm), in a temporary directory.

`softhsm` (a module-scoped fixture) makes a fresh token with the seal's P-256 key generated on it,
non-extractable, and yields the module's path; `seal_on_token(settings, module)` points the settings at it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pkcs11
import pytest
from pkcs11 import Attribute, KeyType
from pkcs11.util.ec import encode_named_curve_parameters

from tests.debian_tools import ensured

UTIL = "/usr/bin/softhsm2-util"  # from Debian's softhsm2, beside the module
TOKEN, KEY, PIN, SO_PIN = "city-seal", "seal-2026", "271828", "31415926"


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    module = ensured("CITYHALL_SOFTHSM", "ensure-softhsm")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        [UTIL, "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN, "--pin", PIN],
        check=True,
        capture_output=True,
    )
    pkcs11.lib(module).reinitialize()  # the module reads SOFTHSM2_CONF and its tokens when initialised
    with pkcs11.lib(module).get_token(token_label=TOKEN).open(user_pin=PIN, rw=True) as session:
        parameters = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
        )
        parameters.generate_keypair(store=True, label=KEY, id=b"\x01")
    yield module
    if before is None:
        del os.environ["SOFTHSM2_CONF"]
    else:
        os.environ["SOFTHSM2_CONF"] = before


def seal_on_token(settings, module: str, *, pin: str = PIN):  # type: ignore[no-untyped-def]
    settings.CITYHALL_SIGNING_SEAL_PKCS11_MODULE = module
    settings.CITYHALL_SIGNING_SEAL_PKCS11_TOKEN = TOKEN
    settings.CITYHALL_SIGNING_SEAL_PKCS11_KEY = KEY
    settings.CITYHALL_SIGNING_SEAL_PKCS11_PIN = pin
    return settings
