"""SoQL parsed and compiled against a stand-in column list: shapes, bound values, and refusals."""

from __future__ import annotations

import pytest

from cityhall.opendata.soql import Dialect, SoqlColumn, SoqlError, compile_query, query_from_params

COLUMNS = [
    SoqlColumn("service_request_id", "text"),
    SoqlColumn("status", "text"),
    SoqlColumn("requested_datetime", "calendar_date"),
    SoqlColumn("days_open", "number"),
    SoqlColumn("location_generalized", "checkbox"),
    SoqlColumn("location", "point", latitude="latitude", longitude="longitude"),
]
SOURCE = ("SELECT * FROM stand_in", [])


def compiled(params: dict[str, str], vendor: str = "sqlite"):  # type: ignore[no-untyped-def]
    return compile_query(query_from_params(params, COLUMNS), COLUMNS, SOURCE, Dialect(vendor, "America/Los_Angeles"))


def refusal(params: dict[str, str]) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        compiled(params)
    return caught.value


def test_every_value_is_a_parameter_never_sql_text() -> None:
    hostile = "x' OR 1=1; DROP TABLE stand_in; --"
    query = compiled({"status": hostile, "$where": f"status = '{hostile.replace(chr(39), chr(39) * 2)}'"})
    assert hostile not in query.sql and "DROP" not in query.sql
    assert query.params.count(hostile) == 2


def test_a_filter_on_a_date_reads_the_text_in_the_city_time_zone() -> None:
    query = compiled({"$where": "requested_datetime >= '2026-01-01'"})
    assert "2026-01-01 08:00:00" in query.params  # midnight in Los Angeles, stored as UTC


def test_aliases_name_the_output_and_order_by_them() -> None:
    query = compiled({"$select": "status, count(*) AS total", "$group": "status", "$order": "total DESC"})
    assert [output.name for output in query.outputs] == ["status", "total"]
    assert "ORDER BY COUNT(*) DESC" in query.sql


def test_unaliased_functions_take_socrata_names() -> None:
    query = compiled(
        {"$select": "date_trunc_ym(requested_datetime), count(*)", "$group": "date_trunc_ym(requested_datetime)"}
    )
    assert [output.name for output in query.outputs] == ["date_trunc_ym_requested_datetime", "count"]
    assert [output.soda_type for output in query.outputs] == ["calendar_date", "number"]


def test_a_full_query_reads_like_the_parameters() -> None:
    one = compiled({"$query": "SELECT status WHERE days_open > 2 ORDER BY status DESC LIMIT 5 OFFSET 10"})
    other = compiled(
        {"$select": "status", "$where": "days_open > 2", "$order": "status DESC", "$limit": "5", "$offset": "10"}
    )
    assert (one.sql, one.params) == (other.sql, other.params)


def test_app_tokens_and_other_double_dollar_parameters_are_ignored() -> None:
    assert compiled({"$$app_token": "abc", "$$exclude_system_fields": "false"}).sql == compiled({}).sql


def test_postgres_matches_text_without_regard_to_case() -> None:
    assert "ILIKE" in compiled({"$q": "pothole"}, "postgresql").sql


def test_a_search_escapes_the_wildcards_it_is_given() -> None:
    assert compiled({"$q": "50%_off"}).params[0] == "%50\\%\\_off%"


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"$where": "status = "}, "query.soql.malformed", "end of input"),
        ({"$where": "status = 'open"}, "query.soql.malformed", '"\'"'),
        ({"$where": "status = 'open'; DROP TABLE x"}, "query.soql.malformed", "';'"),
        ({"$where": "status ~ 'a.*'"}, "query.soql.malformed", "'~'"),
        ({"$where": "nope = 1"}, "query.soql.no-such-column", "nope"),
        ({"nope": "1"}, "query.soql.no-such-column", "nope"),
        ({"$select": ":id"}, "query.soql.malformed", "':'"),
        ({"$where": "requested_datetime > 5"}, "query.soql.type-mismatch", "calendar_date with number"),
        ({"$where": "status > 5"}, "query.soql.type-mismatch", "text with number"),
        ({"$where": "requested_datetime > 'yesterday'"}, "query.soql.type-mismatch", "'yesterday'"),
        ({"$where": "regexp_like(status, 'a')"}, "query.soql.no-such-function", "regexp_like"),
        ({"$where": "status"}, "query.soql.type-mismatch", "true or false"),
        ({"$where": "count(*) > 1"}, "query.soql.type-mismatch", "Aggregate"),
        ({"$where": "within_circle(status, 1, 2, 3)"}, "query.soql.type-mismatch", "location"),
        ({"$where": "within_circle(location, 100, 2, 3)"}, "query.soql.type-mismatch", "Latitude"),
        ({"$select": "status, count(*)"}, "query.soql.not-grouped", "status"),
        ({"$select": "count(*)", "$order": "status"}, "query.soql.not-grouped", "status must be in $group"),
        (
            {"$select": "status, count(*)", "$group": "status", "$having": "days_open > 1"},
            "query.soql.not-grouped",
            "days_open must",
        ),
        ({"$order": "location"}, "query.soql.type-mismatch", "location"),
        ({"$order": "2"}, "query.soql.type-mismatch", "constant"),
        ({"$select": "count(*)", "$group": "1"}, "query.soql.type-mismatch", "constant"),
        ({"$limit": "50001"}, "query.soql.bad-limit", "50,000"),
        ({"$limit": "-1"}, "query.soql.bad-limit", "'-1'"),
        ({"$offset": "ten"}, "query.soql.bad-offset", "'ten'"),
        ({"$offset": "99999999999"}, "query.soql.bad-offset", "10,000,000"),
        ({"$frobnicate": "1"}, "query.soql.malformed", "$frobnicate"),
        ({"$query": "SELECT *", "$limit": "1"}, "query.soql.malformed", "$query"),
        ({"location_generalized": "maybe"}, "query.soql.type-mismatch", "'maybe'"),
    ],
)
def test_refusals_name_the_problem(params: dict[str, str], code: str, named: str) -> None:
    error = refusal(params)
    assert error.code == code
    assert named in error.message


def test_errors_say_which_parameter_and_where() -> None:
    error = refusal({"$where": "status = 'a' AND nope = 1"})
    assert error.message == "No such column: nope in $where at character 18"
    assert error.position == 18


def test_a_period_equal_to_a_truncation_is_a_range_of_instants() -> None:
    query = compiled({"$where": "date_trunc_ym(requested_datetime) = '2026-01-01'"})
    assert "django_datetime_trunc" not in query.sql.split("WHERE")[1]
    assert query.params[:2] == ["2026-01-01 08:00:00", "2026-02-01 08:00:00"]
    assert "django_datetime_trunc" in compiled({"$where": "date_trunc_ym(requested_datetime) = '2026-01-15'"}).sql
