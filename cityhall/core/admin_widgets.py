"""Admin widgets that pass WCAG 2.2 AA where Django's own do not; ModelAdmins choose them."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, each with a <label> of Django's own words ("Date:", "Time:"). Django prints
    the words beside the boxes but labels neither, and the field's label points at no box."""

    template_name = "core/admin/labelled_split_datetime.html"


# A ModelAdmin's formfield_overrides for its editable date-times.
LABELLED_DATE_TIMES: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DateTimeField: {"widget": LabelledSplitDateTime}
}
