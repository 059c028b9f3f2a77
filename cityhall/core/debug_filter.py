"""What Django's debug page and error reports hide of the settings and the request's environment.

Django hides names matching API, AUTH, TOKEN, KEY, SECRET, PASS, SIGNATURE or HTTP_COOKIE; a
PKCS#11 token's PIN (CITYHALL_SIGNING_SEAL_PKCS11_PIN) matches none of them, and `runserver` copies
the process's environment into every request's, so the PIN would be printed on a debug page.
"""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter


class HideSecrets(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern + "|(^|_)PIN($|_)|CREDENTIAL|PRIVATE", flags=re.IGNORECASE
    )
