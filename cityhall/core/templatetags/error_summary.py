"""`{{ field.label|summary_line:error }}`: an error summary's line, naming its field (core/error_summary.py)."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.core import error_summary

register = template.Library()


@register.filter
def summary_line(label: Any, message: Any) -> str:
    return error_summary.summary_line(label, message)
