"""The bounds of what an application holds, in one place: the field types' limits and the uploads'.

The field types (`fields.py`) check every answer against these before a draft or a submission is
written; the web form reads them to tell a person the limit beside the field.
"""

from __future__ import annotations

# A short answer: one line. A long answer: about two pages (the requests' MAX_TEXT).
MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 4000
# An address as typed; the geocoder reads at most its own MAX_QUERY of it.
MAX_ADDRESS = 200
# Numbers are bounded so a JSON answer never holds an absurd value whatever the form says.
NUMBER_LIMIT = 1_000_000_000
# Dates: nothing a city form asks is before 1900 or after 2100.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Supporting documents: per file, per question, and per application.
MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_FILES_PER_FIELD = 5
MAX_FILES_PER_APPLICATION = 20
# The typed name of a signature.
MAX_SIGNER_NAME = 200
# Keys of fields and choices: what an admin types, and what the JSON answers are keyed by.
MAX_KEY = 50
# The approval workflow's words: conditions, a reason, a question, an answer, an internal note.
MAX_DECISION_TEXT = 4000
# An information request unanswered this many days (calendar days) expires the application.
INFO_RESPONSE_DAYS = 30
# Files the applicant may send with one answer (each checked as the form's uploads are).
MAX_FILES_PER_RESPONSE = 5
# Expired by one run of the periodic sweep (the next run takes the rest).
MAX_EXPIRED_PER_RUN = 1000
