"""`cityhall check --deploy` fails on what production would refuse to start without (core/deployment.py)."""

from __future__ import annotations

import os
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from .deployment import production_problems


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [Error(problem, id="cityhall.E001") for problem in production_problems(os.environ)]
