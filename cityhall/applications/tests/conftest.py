from __future__ import annotations

import pytest

from cityhall.applications.models import DigitalService


@pytest.fixture
def digital_services(santa_monica, people) -> dict[str, DigitalService]:
    """The demo's three Santa Monica digital services, defined and published as the demo does."""
    from cityhall.demo.applications import load_digital_services

    return {service.code: service for service in load_digital_services(santa_monica)}


@pytest.fixture
def two_stage_tree(digital_services, people, public_works):
    """The tree service republished with a parallel first stage (Public Works ∥ Planning) and a
    supervisors-only second stage (Public Works), so the people of the shared fixtures can take every step."""
    from cityhall.applications import services
    from cityhall.applications.models import StepRole, WorkflowStep
    from cityhall.catalogue.models import Department

    tree = digital_services["public-tree"]
    tree.steps.all().delete()
    planning = Department.objects.get(slug="planning-community-development")
    for position, (stage, department, name, role) in enumerate(
        [
            (1, public_works, "Urban forester review", StepRole.STAFF),
            (1, planning, "Historic district review", StepRole.STAFF),
            (2, public_works, "Public Works sign-off", StepRole.SUPERVISOR),
        ]
    ):
        WorkflowStep.objects.create(
            service=tree,
            stage=stage,
            position=position,
            name_en=name,
            name_es=f"{name} (es)",
            department=department,
            role=role,
            sla_business_days=2,
        )
    services.form_publish(tree, by=people["admin"])
    return tree
