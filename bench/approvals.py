"""Approvals per second through the workflow, and a whole decision with its signed document.

    python -m bench.approvals [--applications 200]
    ./tools/with-postgres .venv/bin/python -m bench.approvals

Works in a throwaway data directory (its own SQLite database unless DATABASE_URL is set, its own
signing authority). Loads the demo catalogue and its three digital services, makes `--applications`
public-records applications signed and submitted through the services (two steps: the City Clerk,
then the City Attorney), then times, one after another, through `application_step_decide` exactly as
the staff page calls it:

- the City Clerk's approval (the step decided, the next stage opened: the application stays in review);
- the City Attorney's approval with conditions (the last step: the application approved, its
  decision document queued);
- the decision document of each, as the worker's task makes it (`application_decision_document_issue`:
  the PDF rendered, each approver's PAdES signature, the city's seal).

Prints submissions, approvals and documents per second, and p50/p95 of each in ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any

from .scratch import django_in_scratch, percentile


def _report(name: str, laps: list[float]) -> None:
    p95 = percentile(laps, 0.95)
    rate = len(laps) / sum(laps)
    print(f"  {name:<46} {rate:8.1f}/s   p50 {1000 * statistics.median(laps):7.1f} ms   p95 {1000 * p95:7.1f} ms")


def _timed(work: Callable[[Any], object], items: Iterable[Any]) -> list[float]:
    laps = []
    for item in items:
        started = time.perf_counter()
        work(item)
        laps.append(time.perf_counter() - started)
    return laps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200)
    args = parser.parse_args()
    # The decision document is made below, as the worker would: the queue itself is not measured here.
    scratch = django_in_scratch("cityhall-bench-approvals-")
    from django.db import connection

    from cityhall.accounts.models import Role, User
    from cityhall.applications import services
    from cityhall.applications.access import actor_for
    from cityhall.applications.models import Application, ApplicationStep, Status
    from cityhall.applications.signing import answers_digest
    from cityhall.applications.workflow import Action
    from cityhall.catalogue.models import Department
    from cityhall.demo.applications import SAMPLE_ANSWERS, load_digital_services
    from cityhall.demo.catalogue import load_catalogue

    from .seed import bench_person

    city = load_catalogue()
    service = {row.code: row for row in load_digital_services(city)}["public-records"]
    clerk = bench_person("clerk@bench.example", Role.STAFF, Department.objects.get(slug="city-clerk"))
    attorney = bench_person("attorney@bench.example", Role.STAFF, Department.objects.get(slug="city-attorney"))
    applicant = User.objects.create_user("applicant@bench.example", None, name="Bench Applicant")

    def submit(_item: int) -> None:
        draft = services.application_start(service, applicant=applicant)
        draft = services.application_save(draft, answers=SAMPLE_ANSWERS["public-records"], actor=applicant)
        services.application_submit(
            draft, typed_name="Bench Applicant", consent=True, reviewed=answers_digest(draft), actor=applicant,
            ip_address="127.0.0.1", user_agent="bench",
        )  # fmt: skip

    def decide(person: User, department: str, action: Action, conditions: str = "") -> Callable[[int], object]:
        def one(item: int) -> object:
            application = Application.objects.get(pk=item)
            step = ApplicationStep.objects.get(application=application, department__slug=department)
            return services.application_step_decide(
                application, step, action=action, actor=actor_for(person, application), conditions=conditions
            )

        return one

    submitted = _timed(submit, range(args.applications))
    ids = list(Application.objects.filter(applicant=applicant).order_by("pk").values_list("pk", flat=True))
    first = _timed(decide(clerk, "city-clerk", Action.APPROVE), ids)
    last = _timed(
        decide(attorney, "city-attorney", Action.APPROVE_WITH_CONDITIONS, conditions="Private phone numbers redacted."),
        ids,
    )
    assert Application.objects.filter(pk__in=ids, status=Status.APPROVED).count() == len(ids)
    warm = ids[0]
    services.application_decision_document_issue(warm)  # the authority, the seal and two certificates made here
    documents = _timed(services.application_decision_document_issue, ids[1:])
    print(f"{connection.vendor}: {len(ids)} public records applications, two review steps each")
    _report("signed and submitted (steps created, first opened)", submitted)
    _report("approved, next stage opened", first)
    _report("approved with conditions, application approved", last)
    _report("decision document: PDF, two signatures, the seal", documents)
    connection.close()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
