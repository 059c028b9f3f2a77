"""`{{ count|grouped }}`: a count as the site writes it in the reader's language (core/numbers.py)."""

from __future__ import annotations

from django import template

from cityhall.core import numbers

register = template.Library()
register.filter("grouped", numbers.grouped)
