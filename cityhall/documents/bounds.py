"""The limits of the documents app in one place: what an uploaded memo may be, and its routing.

The memo services check every one before anything is written; the staff form reads them to say the
limit beside the field.
"""

from __future__ import annotations

# An uploaded memo: the size /verify accepts by default, and pages enough for any internal memo.
MAX_MEMO_BYTES = 10 * 1024 * 1024
MAX_MEMO_PAGES = 200
# Signers one memo is routed to, in turn.
MAX_MEMO_SIGNERS = 5
# A reason (to decline, to withdraw).
MAX_REASON = 500
# The uploaded file's name as shown back to people.
MAX_FILE_NAME = 100
