"""Applications under review, made through the public services: the block party permit with approval steps."""

from __future__ import annotations

import io
from datetime import timedelta

from cityhall.accounts.models import User
from cityhall.applications import services
from cityhall.applications.models import Application, DigitalService, StepRole, WorkflowStep
from cityhall.catalogue.models import Department, Jurisdiction
from cityhall.core import clock
from cityhall.documents.tests.memo_builders import memo_pdf
from tests.applications import submitted as submit

PDF = memo_pdf("Forty households on Pine Street agree to the summer party.")


def block_party(jurisdiction: Jurisdiction, steps: list[tuple[int, str, Department, str]]) -> DigitalService:
    """The demo's block party permit, published with these approval steps: (stage, English name, department, role)."""
    from cityhall.demo.applications import load_digital_services

    service = next(s for s in load_digital_services(jurisdiction) if s.code == "block-party")
    WorkflowStep.objects.filter(service=service).delete()  # the demo's own steps: these tests name theirs
    for position, (stage, name, department, role) in enumerate(steps):
        WorkflowStep.objects.create(
            service=service,
            stage=stage,
            position=position,
            name_en=name,
            name_es=f"{name} (es)",
            instructions_en="Check the closure plan.",
            department=department,
            role=role,
            sla_business_days=5,
        )
    services.form_publish(service, by=None)
    return service


def answers() -> dict[str, object]:
    return {
        "event_name": "Pine Street summer party",
        "event_date": (clock.now().date() + timedelta(days=40)).isoformat(),
        "hours": "afternoon",
        "guests": "60",
        "block_address": "1685 Main St",
        "cross_streets": "between Pico Blvd and Olympic Blvd",
        "activities": ["food"],
        "barricades": "rent",
        "contact_name": "Rosa Resident",
        "contact_phone": "310-555-0142",
        "contact_email": "resident@example.org",
        "fire_lane": "yes",
    }


def submitted(service: DigitalService, resident: User) -> Application:
    """A resident's block party application, with its petition, signed and submitted: in review."""
    petition = {"petition": [services.Upload(io.BytesIO(PDF), "petition.pdf")]}
    return submit(service, resident, answers=answers(), uploads=petition, typed_name="Rosa Resident")


STAFF = StepRole.STAFF
SUPERVISORS = StepRole.SUPERVISOR
