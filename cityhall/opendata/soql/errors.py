"""SoQL errors, shaped as Socrata's: a code clients can switch on, a message naming the bad token and where."""

from __future__ import annotations


class SoqlError(Exception):
    """A query the API refuses. `code` follows Socrata's (`query.soql.no-such-column`, …)."""

    def __init__(self, code: str, message: str, *, parameter: str = "", position: int | None = None) -> None:
        self.code = code
        self.parameter = parameter
        self.position = position
        # A message that begins with its parameter ("$limit must be…") names it already.
        where = f" in {parameter}" if parameter and not message.startswith(parameter) else ""
        at = f" at character {position}" if position is not None else ""
        super().__init__(f"{message}{where}{at}" if (where or at) else message)

    @property
    def message(self) -> str:
        return str(self)

    def located(self, parameter: str) -> SoqlError:
        """The same error, saying which query parameter it was found in (once)."""
        if self.parameter:
            return self
        base = str(self)
        at = f" at character {self.position}" if self.position is not None else ""
        bare = base[: -len(at)] if at and base.endswith(at) else base
        return SoqlError(self.code, bare, parameter=parameter, position=self.position)


MALFORMED = "query.soql.malformed"
NO_SUCH_COLUMN = "query.soql.no-such-column"
NO_SUCH_FUNCTION = "query.soql.no-such-function"
TYPE_MISMATCH = "query.soql.type-mismatch"
BAD_LIMIT = "query.soql.bad-limit"
BAD_OFFSET = "query.soql.bad-offset"
NOT_GROUPED = "query.soql.not-grouped"
UNSUPPORTED = "query.soql.unsupported"
TIMEOUT = "query.execution.timeout"
