"""Street names as words: the usual abbreviations, directions and ordinals, so that “1685 Main Street”,
“1685 main st.” and “1685 MAIN ST” read the same; and the names shown back (“Main St”, “3rd St”)."""

from __future__ import annotations

import re
import unicodedata

# USPS street suffixes (Publication 28, the common ones) → one spelling.
SUFFIXES = {
    "STREET": "ST", "STR": "ST", "ST": "ST",
    "AVENUE": "AVE", "AVE": "AVE", "AV": "AVE",
    "BOULEVARD": "BLVD", "BLVD": "BLVD", "BL": "BLVD", "BVD": "BLVD",
    "DRIVE": "DR", "DR": "DR",
    "PLACE": "PL", "PL": "PL",
    "COURT": "CT", "CT": "CT",
    "ROAD": "RD", "RD": "RD",
    "LANE": "LN", "LN": "LN",
    "TERRACE": "TER", "TERR": "TER", "TER": "TER",
    "PARKWAY": "PKWY", "PKWY": "PKWY",
    "HIGHWAY": "HWY", "HWY": "HWY",
    "FREEWAY": "FWY", "FWY": "FWY",
    "PROMENADE": "PROM", "PROM": "PROM",
    "CIRCLE": "CIR", "CIR": "CIR",
    "SQUARE": "SQ", "SQ": "SQ",
    "PLAZA": "PLZ", "PLZ": "PLZ",
    "ALLEY": "ALY", "ALY": "ALY",
    "WAY": "WAY", "WALK": "WALK", "LOOP": "LOOP", "PIER": "PIER", "MALL": "MALL",
}  # fmt: skip
DIRECTIONS = {"NORTH": "N", "N": "N", "SOUTH": "S", "S": "S", "EAST": "E", "E": "E", "WEST": "W", "W": "W"}
ORDINAL_WORDS = {
    "FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH", "SIXTH": "6TH",
    "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH", "ELEVENTH": "11TH", "TWELFTH": "12TH",
}  # fmt: skip
# Words that join two streets into a corner: “Main St & Pico Blvd”, “Main and Pico”, “Main at Pico”.
CORNER_WORDS = {"&", "AND", "AT", "Y", "@", "/"}
# The full words a half-typed last word may be heading for (“1685 main stre” → ST).
LONG_WORDS = {word: short for word, short in {**SUFFIXES, **DIRECTIONS}.items() if len(word) > len(short)}


def plain(text: str) -> str:
    """Upper case without accents or punctuation (except the corner signs & / @), single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[&/@]", lambda match: f" {match.group()} ", text.upper())
    return " ".join(re.sub(r"[^A-Z0-9&/@ ½-]", " ", text.replace("'", "")).split())


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}TH"
    return f"{number}{ {1: 'ST', 2: 'ND', 3: 'RD'}.get(number % 10, 'TH') }"


def word(token: str) -> str:
    """One word in its usual spelling: STREET → ST, NORTH → N, FIRST → 1ST."""
    return SUFFIXES.get(token) or DIRECTIONS.get(token) or ORDINAL_WORDS.get(token) or token


def street_key(name: str) -> str:
    """The key a street is found by: its words in their usual spelling (“MAIN ST”, “ALTA PL N”)."""
    tokens = [word(token) for token in plain(name).split()]
    if len(tokens) >= 2 and tokens[0].isdigit() and tokens[1] in SUFFIXES.values():
        tokens[0] = ordinal(int(tokens[0]))  # “4 St” → 4TH ST
    return " ".join(tokens)


def street_base(key: str) -> str:
    """A street's key without its suffix and direction: “OCEAN PARK BLVD” → “OCEAN PARK”."""
    tokens = key.split()
    while len(tokens) > 1 and tokens[-1] in DIRECTIONS.values():
        tokens.pop()
    if len(tokens) > 1 and tokens[-1] in SUFFIXES.values():
        tokens.pop()
    return " ".join(tokens)


def display(name: str) -> str:
    """A published name as people write it: “MAIN ST” → “Main St”, “3RD ST” → “3rd St”,
    “ALTA PL NORTH” → “Alta Pl N”."""
    shown = []
    for token in plain(name).split():
        if token in DIRECTIONS:
            shown.append(DIRECTIONS[token])
        elif re.fullmatch(r"\d+(ST|ND|RD|TH)", token):
            shown.append(token.lower())
        elif token.startswith("MC") and len(token) > 3:
            shown.append("Mc" + token[2:].capitalize())
        else:
            shown.append(token.capitalize())
    return " ".join(shown)
