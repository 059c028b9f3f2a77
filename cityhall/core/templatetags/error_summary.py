"""`{{ field.label|summary_line:error }}`: an error summary's line, naming its field (core/error_summary.py);
`{{ field|error_target }}`: the id the line's link leads to."""

from __future__ import annotations

from typing import Any

from django import template

from cityhall.core import error_summary

register = template.Library()


@register.filter
def summary_line(label: Any, message: Any) -> str:
    return error_summary.summary_line(label, message)


@register.filter
def error_target(field: Any) -> str:
    """The field's control, or for radios and checkboxes (a group with no one control) its first choice."""
    return str(field.id_for_label or next((choice.id_for_label for choice in field.subwidgets), field.auto_id))
