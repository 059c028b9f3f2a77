"""US English on a US city's site: no British spelling in any words a resident or clerk reads.

Checked: the text of templates (not their tags, class names or variables), string literals in our
JavaScript, the English of every translation catalog (msgids), the strings Python marks for
translation, and the demo's catalog data and sample reports. Code identifiers, comments and docs
may keep their spelling (`colour` fields, `recategorise` actions): no one reads those on a page.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# British forms a reader would notice, with the US word in a comment. Chosen so that no US word
# matches: "realistic", "programmer", "metric", "catalog", "canceled", "center" all pass.
BRITISH = re.compile(
    r"\b(?:"
    r"tyres?"  # tire
    r"|neighbours?|neighbourhoods?|neighbouring|neighbourly"  # neighbor, neighborhood
    r"|colours?|colour(?:ed|ing|ful)"  # color
    r"|centres?|centred"  # center
    r"|organis(?:e|ed|es|ing|ation|ations|er|ers)"  # organize, organization
    r"|licence[sd]?"  # license (the noun)
    r"|(?:kilo|centi|milli)?metres?"  # meter
    r"|litres?"  # liter
    r"|favourites?|favour(?:s|ed|able)?"  # favorite, favor
    r"|behaviours?"  # behavior
    r"|honour(?:s|ed)?|labour|harbour|odour|mould|humour|rumour"
    r"|recognis(?:e|ed|es|ing|able)"  # recognize
    r"|realis(?:e|ed|es|ing)"  # realize
    r"|apologis(?:e|ed|es|ing)"  # apologize
    r"|(?:re)?categoris(?:e|ed|es|ing|ation)"  # categorize
    r"|prioritis(?:e|ed|es|ing)|authoris(?:e|ed|es|ing|ation)|customis(?:e|ed|es|ing)"
    r"|summaris(?:e|ed|es|ing)|minimis(?:e|ed|es|ing)|finalis(?:e|ed|es|ing)|personalis(?:e|ed|es|ing)"
    r"|analys(?:e|ed|ing)|utilis(?:e|ed|es|ing)|optimis(?:e|ed|es|ing)|sanitis(?:e|ed|es|ing)"
    r"|catalogues?|cancell(?:ed|ing)|programmes?|judgement|enrolments?|fulfil|fulfilment"
    r"|whilst|amongst|kerbs?|fibres?|theatres?|greys?|postcodes?|enquir(?:y|ies)|instalments?"
    r"|labelled|travelled|modelling|ageing|acknowledgement"
    r")\b",
    re.IGNORECASE,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr.0-9]*|\{\{[^}]*\}\}|\{\w+\}|__\w+__")
TEXT_ATTRIBUTES = re.compile(
    r"\b(?:alt|title|aria-label|aria-roledescription|placeholder|content|data-[\w-]+)=\"([^\"]*)\""
)


def _source_files(pattern: str) -> Iterator[Path]:
    for path in sorted(ROOT.glob(pattern)):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "node_modules", "vendor", "tests", "var", "migrations"}:
            continue
        yield path


def template_text(source: str) -> str:
    """What a template can put in front of a reader: its text, translated strings and text attributes."""
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|<!--.*?-->", " ", source, flags=re.S)
    source = re.sub(r"\{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')[^%]*%\}", lambda m: m.group(1)[1:-1], source)
    source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    attributes = " ".join(TEXT_ATTRIBUTES.findall(source))
    source = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", source, flags=re.S)
    return re.sub(r"<[^>]*>", " ", source) + " " + attributes


def js_strings(source: str) -> str:
    """String literals of a script, its comments left out."""
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", " ", source)
    return " ".join(match[1] for match in re.findall(r"([\"'`])((?:\\.|(?!\1).)*)\1", source)).replace("\\", "")


def po_msgids(source: str) -> str:
    """The English of a translation catalog: its msgids and plural msgids."""
    english, keep = [], False
    for line in source.splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            keep = True
        elif not line.startswith('"'):
            keep = False
        if keep:
            english.append(line.split('"', 1)[1].rsplit('"', 1)[0] if '"' in line else "")
    return " ".join(english)


GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def python_ui_strings(source: str) -> str:
    """The strings Python code marks for translation: what its pages, forms and messages say."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in GETTEXT:
                found += [
                    arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
    return " ".join(found)


def data_strings(value: object) -> Iterator[str]:
    """Every string value in parsed JSON or TOML (keys are identifiers)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from data_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from data_strings(item)


def sample_report_strings(source: str) -> str:
    """The demo's made-up reports: every string constant but docstrings."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return " ".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    )


def reader_facing_text() -> Iterator[tuple[str, str]]:
    for pattern in (
        "templates/**/*.html",
        "templates/**/*.txt",
        "cityhall/*/templates/**/*.html",
        "cityhall/*/templates/**/*.txt",
        "cityhall/*/templates/**/*.js",
    ):
        for path in _source_files(pattern):
            yield str(path.relative_to(ROOT)), template_text(path.read_text())
    for path in _source_files("static/**/*.js"):
        yield str(path.relative_to(ROOT)), js_strings(path.read_text())
    for path in _source_files("**/locale/*/LC_MESSAGES/*.po"):
        yield str(path.relative_to(ROOT)), po_msgids(path.read_text())
    for pattern in ("cityhall/**/*.py", "config/**/*.py"):
        for path in _source_files(pattern):
            yield str(path.relative_to(ROOT)), python_ui_strings(path.read_text())
    data = ROOT / "cityhall" / "demo" / "data"
    for path in sorted(data.glob("*.toml")):
        yield str(path.relative_to(ROOT)), " ".join(data_strings(tomllib.loads(path.read_text())))
    for path in sorted(data.glob("*.json")):
        yield str(path.relative_to(ROOT)), " ".join(data_strings(json.loads(path.read_text())))
    scenario = ROOT / "cityhall" / "demo" / "scenario.py"
    yield str(scenario.relative_to(ROOT)), sample_report_strings(scenario.read_text())


def british_spellings(text: str) -> list[str]:
    return sorted({match.group(0) for match in BRITISH.finditer(PLACEHOLDER.sub(" ", text))})


def test_the_checker_finds_british_words_and_passes_american_ones():
    assert british_spellings("Up to a car tyre, in the Neighbourhood, a colour; the city centre.") == [
        "Neighbourhood",
        "centre",
        "colour",
        "tyre",
    ]
    american = "tire, neighborhood, color, center, organization, license, meter, favorite, behavior, realistic, catalog"
    assert british_spellings(american + ", canceled, programmer, recognize, %(metres)s m, {{ metres }}") == []
    assert template_text(
        '<p class="colour-key" data-centre="{{ city_centre }}">{% translate "Colour" %}</p>'
    ).split() == ["Colour"]
    assert js_strings('var centre = map.getCenter(); // the centre\nlabel.textContent = "Centre";').strip() == "Centre"


def test_no_british_spelling_in_what_residents_and_clerks_read():
    found = {where: words for where, text in reader_facing_text() if (words := british_spellings(text))}
    assert found == {}, "British spellings (write US English): " + json.dumps(found, indent=1)
