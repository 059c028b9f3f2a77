"""Contract tests from the OpenAPI schema: schemathesis calls the live test server with data it derives
from /api/v1/openapi.json, valid and invalid, and checks each answer against the schema: its status is
documented, its content type and body are those declared, invalid input is refused (4xx), never a 5xx.

One check is left out: that every schema-valid call is accepted. A schema cannot say which strings are
cursors this API gave, which category codes the city has, or which points lie inside it, so a call
the schema allows is rightly refused with a 422 naming the field; the other tests pin those refusals.

Deterministic and bounded: Hypothesis derandomized, a fixed number of examples per operation and mode.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from cityhall.catalogue.models import Department
from cityhall.devices.models import Device
from cityhall.requests.models import Channel
from cityhall.requests.services import ClientInfo
from cityhall.requests.tests.builders import submit
from tests.applications import RECORDS, submitted, under_review

from .conftest import make_key

EXAMPLES = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_keeps_to_its_schema_and_never_fails_on_the_server(
    live_server, santa_monica, people, service, mode
):
    # A key that may do everything a partner may, with a limit the run never reaches, and a request to find.
    key = make_key(
        "Contract", "submit", "update-any", "webhooks", "devices", "applications", rate_limit_per_minute=1_000_000
    )
    submit(service("potholes"), channel=Channel.API, client=ClientInfo(api_client="Contract"))
    bins = service("other-refuse-and-recycling")
    Device(
        device_id="bin-0001",
        kind="litter_bin",
        lat=34.01,
        lng=-118.49,
        department=bins.default_department or Department.objects.first(),
        service=bins,
    ).save()
    # An application under review, to read (its reference is a path the generator may not find: 404s are documented).
    [records] = under_review(santa_monica, RECORDS)
    submitted(records, people["resident"])
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def keeps_to_the_schema(case: schemathesis.Case) -> None:
            case.call_and_validate(
                base_url=live_server.url, headers=headers, excluded_checks=[positive_data_acceptance]
            )

        keeps_to_the_schema()
