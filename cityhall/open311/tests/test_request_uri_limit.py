"""A long list of ids is served; past the documented limit the answer is Open311's own 414, in the
URL's format, in both middleware chains (the test client's full one and config.wsgi's short one)."""

from __future__ import annotations

import pytest

from cityhall.open311.middleware import MAX_REQUEST_URI

from .helpers import BASE, assert_error
from .test_fast_paths import call_wsgi

pytestmark = pytest.mark.django_db


def ids(count: int) -> str:
    return ",".join(str(10_000_000 + number) for number in range(count))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_hundreds_of_ids_are_served_and_an_address_past_the_limit_is_refused_in_open311_format(
    client, santa_monica, fmt
):
    path = f"{BASE}requests.{fmt}"
    assert client.get(path, {"service_request_id": ids(450)}).status_code == 200
    # The limit counts the address as sent: at it is served, one character more is refused.
    filler = "x" * (MAX_REQUEST_URI - len(f"{path}?service_request_id=10000000&padding="))
    at_limit = f"{path}?service_request_id=10000000&padding={filler}"
    assert len(at_limit) == MAX_REQUEST_URI
    assert client.get(at_limit).status_code == 200
    [said] = assert_error(client.get(at_limit + "x"), 414, fmt)
    assert said.startswith(f"The address is {MAX_REQUEST_URI + 1:,} characters long; the limit is 16,384.")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("santa_monica")
def test_the_short_chain_refuses_it_too():
    answer = call_wsgi(f"{BASE}requests.json", f"service_request_id={ids(2000)}")
    assert answer.status_code == 414 and answer.get("Content-Type").startswith("application/json")
    assert answer.content.startswith(b'[{"code":414,')
