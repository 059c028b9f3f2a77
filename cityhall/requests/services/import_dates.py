"""Reading an export's dates as `datetime.strptime` does, at a fraction of its cost.

strptime re-reads the locale and walks its whole directive table for every value: on a big city's
file, whose timestamps run to the second so no two repeat, that was a third of the import's time.
A mapping's format made only of numeric fields (`%Y %m %d %H %I %M %S`, with `%p`) is compiled
once into a regular expression that accepts a subset of what strptime accepts (ASCII digits,
separators exactly as written); a value it reads gives the same datetime strptime would, and any
other value, or a format with other directives, goes to strptime itself. So the dates read, and
the rows refused, are strptime's (a test holds the two to it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

_NUMBERS = {"Y": "[0-9]{4}", "m": "[0-9]{1,2}", "d": "[0-9]{1,2}", "H": "[0-9]{1,2}", "I": "[0-9]{1,2}"}
_NUMBERS |= {"M": "[0-9]{1,2}", "S": "[0-9]{1,2}"}
_DIRECTIVE = re.compile("%(.)")


def strptime_reader(fmt: str) -> Callable[[str], datetime]:
    """A function reading `fmt` as datetime.strptime does, raising ValueError where it would."""
    compiled = _compile(fmt)
    if compiled is None:
        return lambda text: datetime.strptime(text, fmt)
    match, directives = compiled.fullmatch, compiled.groupindex
    year, month, day = directives["Y"] - 1, directives["m"] - 1, directives["d"] - 1
    minute, second = directives.get("M", 0) - 1, directives.get("S", 0) - 1  # -1: absent
    hour, twelve = (directives["I"], True) if "I" in directives else (directives.get("H", 0), False)
    hour, noon = hour - 1, directives.get("p", 0) - 1

    def read(text: str) -> datetime:
        found = match(text)
        if found is not None:
            parts = found.groups()
            h = int(parts[hour]) if hour >= 0 else 0
            if twelve:
                # strptime's %I is 1-12: 12 AM is midnight, and without %p it reads as AM.
                h = h % 12 + (12 if noon >= 0 and parts[noon] in ("PM", "pm") else 0) if 1 <= h <= 12 else -1
            try:
                return datetime(
                    int(parts[year]),
                    int(parts[month]),
                    int(parts[day]),
                    h,
                    int(parts[minute]) if minute >= 0 else 0,
                    int(parts[second]) if second >= 0 else 0,
                )
            except ValueError:
                pass  # out of range: strptime says how
        return datetime.strptime(text, fmt)

    return read


def _compile(fmt: str) -> re.Pattern[str] | None:
    """The pattern of a format of numeric fields (and %p), a group named for each; None for any other.

    Numeric fields must be apart (a literal without digits between them), so each one reads the
    whole run of digits there, as strptime's does; otherwise strptime may split digits its own way.
    """
    directives = _DIRECTIVE.findall(fmt)
    literals = _DIRECTIVE.split(fmt)[::2]
    if (
        not set(directives) <= {*_NUMBERS, "p"}
        or len(directives) != len(set(directives))
        or not {"Y", "m", "d"} <= set(directives)
        or {"H", "I"} <= set(directives)
        or any(character.isdigit() or character == "%" for literal in literals for character in literal)
        or any(
            "p" not in (first, then) and not between
            for first, then, between in zip(directives[:-1], directives[1:], literals[1:-1], strict=True)
        )
    ):
        return None
    pieces = [re.escape(literals[0])]
    for directive, literal in zip(directives, literals[1:], strict=True):
        pieces.append("(?P<p>AM|PM|am|pm)" if directive == "p" else f"(?P<{directive}>{_NUMBERS[directive]})")
        pieces.append(re.escape(literal))
    return re.compile("".join(pieces))
