"""One line of a form's error summary: the field's name, then what is wrong with it.

GOV.UK-style summaries name the field each error is about, so "This field is required." at the top
of a long form says which. A label that is a question already ends its sentence, and a colon after
it reads "How big is it?: …"; it is followed by the message alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import pgettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ENDS_A_SENTENCE = ("?", "!", ".")


def summary_line(label: StrOrPromise, message: StrOrPromise) -> str:
    """The line: `Email: Enter a valid email address.`, `How big is the pothole? This field is required.`"""
    name = str(label).strip().rstrip(":").rstrip()
    if not name:
        return str(message)
    if name.endswith(ENDS_A_SENTENCE):
        return pgettext("error summary, after a question", "%(question)s %(error)s") % {
            "question": name,
            "error": message,
        }
    return pgettext("error summary, after a field's name", "%(field)s: %(error)s") % {"field": name, "error": message}
