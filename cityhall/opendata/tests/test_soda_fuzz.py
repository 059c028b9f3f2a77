"""Random garbage and near-valid SoQL: never a 5xx, never HTML, never a write.

Deterministic and bounded for CI (derandomized, a fixed number of examples), like the Open311 fuzz suite.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityhall.open311.tests.test_fuzz import FUZZ  # the same bounded, derandomized settings
from cityhall.opendata.models import PublicRequest, PublicRequestUpdate
from cityhall.opendata.registry import datasets

pytestmark = pytest.mark.django_db

PARAMETERS = ["$select", "$where", "$order", "$group", "$having", "$limit", "$offset", "$q", "$query", "status"]
COLUMNS = [*sorted({column.name for dataset in datasets() for column in dataset.columns}), "nope", "`status`", ":id"]
KEYWORDS = ["select", "where", "group", "by", "having", "order", "limit", "offset", "search", "as", "asc", "desc"]
OPERATORS = ["and", "or", "not", "is", "null", "between", "in", "like", "true", "false"]
FUNCTIONS = ["count", "sum", "avg", "min", "max", "date_trunc_ym", "date_trunc_ymd", "date_trunc_y", "upper", "lower"]
SPATIAL = ["starts_with", "within_circle", "within_box", "regexp_like", "distance_in_meters"]
WORDS = [
    *COLUMNS,
    *KEYWORDS,
    *OPERATORS,
    *FUNCTIONS,
    *SPATIAL,
    *["*", "(", ")", ",", "=", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "/", "||", ";", "--", "'", '"', "%"],
    *["'open'", "'2026-01-01'", "'2026-13-45T99:00'", "0", "-1", "3.5", "1e308", "99999999999999999999", "34.01"],
    *["'; DROP TABLE opendata_publicrequest; --", "1) UNION SELECT * FROM accounts_user --", "\\", "\x00", "é"],
]
near_valid = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
garbage = st.text(max_size=60)


def snapshot() -> tuple[int, int]:
    return PublicRequest.objects.count(), PublicRequestUpdate.objects.count()


@FUZZ
@given(
    dataset_id=st.sampled_from([dataset.id for dataset in datasets()] + ["nope-nope", "../x"]),
    fmt=st.sampled_from(["json", "csv", "geojson", "xml", ""]),
    params=st.dictionaries(st.sampled_from(PARAMETERS), st.one_of(near_valid, garbage), max_size=4),
)
def test_any_query_is_answered_as_data(client, dataset_id: str, fmt: str, params: dict[str, str]) -> None:
    before = snapshot()
    response = client.get(f"/resource/{dataset_id}.{fmt}", params)
    assert response.status_code < 500, (params, response.content[:300])
    assert not response["Content-Type"].startswith("text/html"), params
    if response.status_code >= 400:
        assert response.json()["error"] is True
    assert snapshot() == before
