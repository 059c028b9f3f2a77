"""Reading a CSV export for the importer, line by line, so every problem can name its line.

The importer reads the file twice: once whole before writing anything (`CsvExport.check`), so an
undecodable byte or an unreadable stretch refuses the file with nothing written, then again to
import it. Both passes are the same code, so the second cannot meet a problem the first missed
(unless the file changes in between). A damaged row — the wrong number of fields, or a last row
the file ends inside (a download cut short) — is not refused with the file: it is handed on as a
`DamagedRow` and skipped with its reason, so a later full export imports it properly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# Undecodable bytes arrive as lone surrogates (the "surrogateescape" error handler), which valid
# UTF-8 never decodes to: finding one names the line and column of the bad byte.
_BAD_BYTE = re.compile("[\udc80-\udcff]")
ENCODING = "utf-8-sig"  # UTF-8, with or without the byte-order mark spreadsheets write


class UnreadableFile(ValueError):
    """The file cannot be read at `line`; the message says why, in the person's terms."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class DamagedRow:
    """A row that is not a whole record; the importer skips it with `reason`."""

    line: int
    reason: str


CUT_SHORT = "the file ends inside this row (cut short?)"
WRONG_FIELD_COUNT = "wrong number of fields for the header (a damaged row)"


class CsvExport:
    """A CSV file with a header row; rows are dicts keyed by the header, or DamagedRow."""

    def __init__(self, path: Path, delimiter: str = ",") -> None:
        self.path, self.delimiter = path, delimiter
        self.header: list[str] = []
        self.line = 0  # the last physical line read

    def check(self) -> int:
        """Read the whole file once; return its number of rows. Raises UnreadableFile, OSError."""
        return sum(1 for _ in self.rows())

    def rows(self) -> Iterator[Mapping[str, str] | DamagedRow]:
        """The rows after the header. Raises UnreadableFile at the first line that cannot be read."""
        lines: list[str] = []  # the physical lines of the row being parsed
        with self.path.open(encoding=ENCODING, errors="surrogateescape", newline="") as handle:
            self.line = 0
            reader = csv.reader(self._lines(handle, lines), delimiter=self.delimiter)
            self.header = []
            pending: tuple[int, list[str], str] | None = None
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise UnreadableFile(f"not readable as CSV ({exc})", self.line) from None
                first_line, raw = self.line - len(lines) + 1, "".join(lines)
                lines.clear()
                if not fields:
                    continue  # a blank line
                if not self.header:
                    self.header = fields
                    continue
                # A row is judged once the next one is read: only then is it known to be the last.
                if pending is not None:
                    yield self._record(*pending, last=False)
                pending = (first_line, fields, raw)
            if pending is not None:
                yield self._record(*pending, last=True)

    def _lines(self, handle: Iterator[str], lines: list[str]) -> Iterator[str]:
        for text in handle:
            self.line += 1
            if not text.isascii() and (bad := _BAD_BYTE.search(text)):
                byte = ord(bad.group()) - 0xDC00
                raise UnreadableFile(
                    f"byte 0x{byte:02x} at character {bad.start() + 1} is not UTF-8; "
                    "save the file as UTF-8 and run again",
                    self.line,
                )
            lines.append(text)
            yield text

    def _record(self, line: int, fields: list[str], raw: str, *, last: bool) -> Mapping[str, str] | DamagedRow:
        if last and _ends_inside_quotes(raw, self.delimiter):
            return DamagedRow(line, CUT_SHORT)
        if len(fields) != len(self.header):
            return DamagedRow(line, CUT_SHORT if last and len(fields) < len(self.header) else WRONG_FIELD_COUNT)
        return dict(zip(self.header, fields, strict=True))


def _ends_inside_quotes(raw: str, delimiter: str) -> bool:
    # The lenient reader takes a quote left open at the end of the file as a whole field ("1745 S");
    # the strict one says so.
    try:
        for _ in csv.reader([raw], delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False
