"""The requests domain's fixed error messages: each a stable code and its words, kept once.

Services raise them (`ValidationFailed({"reason": Problem.REASON})`); the error keeps the English for
Open311, the importer and the logs, and the lazy words for the pages, which show them in the reader's
language with no copy of the English to match. Messages composed at run time (naming a category, a
person, a number of days) stay plain English strings where they are raised.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    DEPARTMENT = "department", _("Choose a department of this city.")
    ASSIGNEE_ACTIVE = "assignee_active", _("Choose an active member of staff.")
    REASON = "reason", _("Give a reason.")
    PUBLIC_NOTE = "public_note", _("Write a note for the resident saying what was done.")
    INTERNAL_NOTE = "internal_note", _("Write the note.")
    SERVICE = "service", _("Choose a category of this city.")
    RESOLUTION = "resolution", _("Choose how the request was resolved.")
    REFERRED_TO = "referred_to", _("Name the agency the request was referred to.")
    DUPLICATE_OF = "duplicate_of", _("Choose the request this one duplicates.")
    DUPLICATE_LOOP = "duplicate_loop", _("A request cannot be a duplicate of itself or of its own duplicate.")
    PRIORITY = "priority", _("Choose a priority from the list.")
    PRIORITY_FINISHED = "priority_finished", _("The priority of a finished request cannot change.")
    PRIORITY_FORBIDDEN = "priority_forbidden", _("You may not change the priority of this request.")
    WHERE = "where", _("Tell us where: a point on the map, an address, or a description of the place.")
    CALLER_CHANNEL = "caller_channel", _("Say whether the caller phoned or walked in.")
    LAT_LONG_TOGETHER = "lat_long_together", _("Latitude and longitude must be sent together.")
