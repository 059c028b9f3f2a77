"""US English: "December 3, 2026" and "December 3, 2026, 9:30 AM"; short: "Dec 3, 9:30 AM"."""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"

# Short forms for lists and badges, read by cityhall.core.moments (Django knows only its own names).
# The same 12-hour clock as DATETIME_FORMAT, so a badge and a full date on one page agree.
SHORT_DAY_FORMAT = "M j"  # Dec 11
SHORT_MOMENT_FORMAT = "M j, g:i A"  # Dec 11, 5:00 PM
SHORT_MOMENT_YEAR_FORMAT = "M j, Y, g:i A"  # Dec 11, 2026, 5:00 PM
