"""The demo's applications, in every state of the approval workflow, made through the public services.

Each case is played as it would have happened, at believable moments of the last weeks (`clock.travel`):
the resident applies and signs, each department's reviewer approves, asks or denies, the resident
answers or withdraws, an unanswered question expires, and a decided application gets its signed
decision document (each approver's PAdES signature, then the city's seal). The demo resident has an
approved block party with its signed permit, a question from the City Clerk to answer and a draft;
Public Works' staff find a tree request waiting for their review; one case came in on paper.

The reviewers are accounts of their departments with a second factor, as every decider must have
(their decision is signed with their own certificate): an authenticator made with a random secret
nobody holds. They have no password and never sign in; the demo's sign-ins are in `people.py`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from fpdf import FPDF

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import Role, User
from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.models import Application, ApplicationStep, DigitalService, Status
from cityhall.applications.signing import answers_digest
from cityhall.applications.workflow import Action
from cityhall.catalogue.models import Department
from cityhall.core import clock

REVIEWERS: dict[str, tuple[str, str, Role]] = {
    # department slug: (email, name, role) — the special events sign-off is for supervisors only.
    "planning-community-development": ("mobility@demo.cityhall.test", "Tomás Rivera (Mobility)", Role.STAFF),
    "police": ("police.events@demo.cityhall.test", "Paula Chen (Police)", Role.STAFF),
    "community-cultural-services": ("events@demo.cityhall.test", "Elena Brooks (Special Events)", Role.SUPERVISOR),
    "city-clerk": ("records@demo.cityhall.test", "Carlos Mendes (City Clerk)", Role.STAFF),
    "city-attorney": ("attorney@demo.cityhall.test", "Ana Feldman (City Attorney)", Role.STAFF),
    "public-works": ("forester@demo.cityhall.test", "Frank Osei (Urban Forester)", Role.STAFF),
}  # fmt: skip

APPLICANTS = {
    "marcus": ("marcus.lee@demo.cityhall.test", "Marcus Lee"),
    "priya": ("priya.shah@demo.cityhall.test", "Priya Shah"),
    "jun": ("jun.park@demo.cityhall.test", "Jun Park"),
    "lucia": ("lucia.gomez@demo.cityhall.test", "Lucía Gómez"),
    "dana": ("dana.whitfield@demo.cityhall.test", "Dana Whitfield"),
    "omar": ("omar.haddad@demo.cityhall.test", "Omar Haddad"),
}


def _account(email: str, name: str, role: Role, department: Department | None = None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, name=name, role=role, department=department)
        mark_email_verified(user)
    if role != Role.RESIDENT and not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    return user


def petition_pdf(street: str) -> bytes:
    """A one-page neighbor petition, as a resident would scan or print it to PDF."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, f"Neighbor petition: block party on {street}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for number in range(1, 13):
        pdf.cell(0, 8, f"{number}. Household {100 + number * 2} - signed", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _block_party(name: str, street: str, day: date, contact: tuple[str, str]) -> dict[str, Any]:
    return {
        "event_name": name,
        "event_date": day.isoformat(),
        "hours": "afternoon",
        "guests": "80",
        "block_address": street,
        "cross_streets": "between the two nearest corners",
        "activities": ["music", "food", "games"],
        "music_end": "7:30 pm",
        "barricades": "rent",
        "contact_name": contact[1],
        "contact_phone": "310-555-0160",
        "contact_email": contact[0],
        "fire_lane": True,
    }


def _records(what: str, contact: tuple[str, str]) -> dict[str, Any]:
    return {
        "records": what,
        "departments": ["planning"],
        "delivery": "electronic",
        "for_organization": "no",
        "contact_email": contact[0],
    }


def _tree(address: str, work: str, contact: tuple[str, str]) -> dict[str, Any]:
    return {
        "tree_address": address,
        "tree_place": "parkway",
        "work": work,
        "reasons": ["branches", "clearance"],
        "owner": "no",
        "contact_name": contact[1],
        "contact_phone": "310-555-0142",
        "contact_email": contact[0],
        "forester": "yes",
    }


@dataclass
class Play:
    """One application's story: who, on what service, with which answers, then the moves after it is signed."""

    service: str
    applicant: User
    answers: dict[str, Any]
    days_ago: int
    moves: list[Callable[[Application, datetime], None]]
    submit: bool = True
    petition: bool = False
    keyed_by: User | None = None


def _step(application: Application, department: str) -> ApplicationStep:
    return ApplicationStep.objects.get(application=application, department__slug=department)


class Cases:
    """Plays the demo's cases with its reviewers; each move is a public service, at a moment in the past."""

    def __init__(self, reviewers: dict[str, User]) -> None:
        self.reviewers = reviewers

    def decide(self, department: str, action: Action, **words: str) -> Callable[[Application, datetime], None]:
        def move(application: Application, at: datetime) -> None:
            fresh = Application.objects.get(pk=application.pk)
            reviewer = self.reviewers[department]
            with clock.travel(at):
                services.application_step_decide(
                    fresh, _step(fresh, department), action=action, actor=actor_for(reviewer, fresh), now=at, **words
                )

        return move

    @staticmethod
    def respond(answer: str) -> Callable[[Application, datetime], None]:
        def move(application: Application, at: datetime) -> None:
            fresh = Application.objects.get(pk=application.pk)
            with clock.travel(at):
                services.application_respond(
                    fresh, actor=actor_for(fresh.applicant, fresh), answer=answer, now=at
                )  # fmt: skip

        return move

    @staticmethod
    def withdraw(reason: str) -> Callable[[Application, datetime], None]:
        def move(application: Application, at: datetime) -> None:
            fresh = Application.objects.get(pk=application.pk)
            with clock.travel(at):
                services.application_withdraw(fresh, actor=actor_for(fresh.applicant, fresh), reason=reason, now=at)

        return move

    @staticmethod
    def expire(application: Application, at: datetime) -> None:
        """Today's sweep, as the periodic task runs it: the question has waited past its limit."""
        services.applications_expire()


def _play(play: Play, now: datetime) -> Application:
    service = DigitalService.objects.get(code=play.service)
    started = now - timedelta(days=play.days_ago)
    with clock.travel(started):
        applicant = play.applicant
        if play.keyed_by is not None:
            scan = services.Upload(stream=io.BytesIO(petition_pdf("the paper form")), name="paper-form-scan.pdf")
            application = services.application_start_on_paper(
                service,
                applicant_email=applicant.email,
                applicant_name=applicant.name,
                keyed_by=play.keyed_by,
                scan=scan,
            )
        else:
            application = services.application_start(service, applicant=applicant)
        filler = play.keyed_by or applicant
        uploads = {}
        if play.petition:
            street = str(play.answers.get("block_address", ""))
            uploads["petition"] = [services.Upload(stream=io.BytesIO(petition_pdf(street)), name="petition.pdf")]
        application = services.application_save(application, answers=play.answers, uploads=uploads, actor=filler)
        if play.submit:
            services.application_submit(
                application,
                typed_name=applicant.name,
                consent=True,
                reviewed=answers_digest(application),
                actor=filler,
                ip_address="127.0.0.1",
                user_agent="CityHall demo loader",
            )
    # Each later move a day or two after the one before, in business hours.
    at = started.replace(hour=17, minute=0, second=0, microsecond=0)
    for move in play.moves:
        at += timedelta(days=2 if at.weekday() < 4 else 4)
        move(application, min(at, now - timedelta(hours=1)))
    application = Application.objects.get(pk=application.pk)
    if application.status in (Status.APPROVED, Status.DENIED):
        services.application_decision_document_issue(application.pk)  # idempotent: the worker's task finds it done
    return application


def create_sample_applications(people: dict[Role, User]) -> int:
    """The demo's applications in every state (once): returns how many were made."""
    reviewers = {
        slug: _account(email, name, role, Department.objects.get(slug=slug))
        for slug, (email, name, role) in REVIEWERS.items()
    }
    if Application.objects.filter(applicant=people[Role.RESIDENT]).exists():
        return 0
    applicants = {key: _account(email, name, Role.RESIDENT) for key, (email, name) in APPLICANTS.items()}
    rosa = people[Role.RESIDENT]
    mine = (rosa.email, rosa.name)
    cases = Cases(reviewers)
    now = clock.now()
    party_day = (now + timedelta(days=45)).date()
    plays = [
        # The demo resident: an approved block party with its signed permit, a question to answer, a draft.
        Play("block-party", rosa, _block_party("Pine Street summer party", "1685 Main St", party_day, mine), 16,
             [cases.decide("planning-community-development", Action.APPROVE_WITH_CONDITIONS,
                           conditions="Barricades at both ends of the block from 11:30 am; keep the crosswalk open."),
              cases.decide("police", Action.APPROVE),
              cases.decide("community-cultural-services", Action.APPROVE_WITH_CONDITIONS,
                           conditions="Amplified music ends at 7:30 pm. Leave the street clean by 7 pm.")],
             petition=True),
        Play("public-records", rosa, _records("Building permits issued for 1200 Pine St since 2020, with their plans.",
             mine), 6, [cases.decide("city-clerk", Action.ASK_INFO,
                                     question="Do you need the plans of every permit, or only the approved sets?")]),
        Play("public-tree", rosa, _tree("1685 Main St", "prune", mine), 1, [], submit=False),
        # Others, one in each remaining state.
        Play("public-tree", applicants["omar"], _tree("2000 Main St", "remove", APPLICANTS["omar"]), 2, []),
        Play("block-party", applicants["marcus"],
             _block_party("Ashland Avenue block party", "2000 Main St", party_day + timedelta(days=20),
                          APPLICANTS["marcus"]), 18, [cases.decide("police", Action.APPROVE)], petition=True),
        Play("public-records", applicants["priya"],
             _records("Police calls for service at the pier, January to June 2026.", APPLICANTS["priya"]), 25,
             [cases.decide("city-clerk", Action.APPROVE),
              cases.decide("city-attorney", Action.APPROVE_WITH_CONDITIONS,
                           conditions="Private persons' names and phone numbers are redacted (Gov. Code 7927.700).")]),
        Play("public-tree", applicants["jun"], _tree("1685 Main St", "remove", APPLICANTS["jun"]), 20,
             [cases.decide("public-works", Action.DENY,
                           reason="The tree is healthy and not a hazard; it is pruned in the 2027 grid cycle.")]),
        Play("block-party", applicants["lucia"],
             _block_party("Marine Street reunion", "2000 Main St", party_day + timedelta(days=10),
                          APPLICANTS["lucia"]),
             12, [cases.decide("police", Action.APPROVE), cases.withdraw("We moved the party to Marine Park.")],
             petition=True),
        Play("public-records", applicants["dana"],
             _records("Emails about the 2024 parking meter contract.", APPLICANTS["dana"]), 60,
             [cases.decide("city-clerk", Action.ASK_INFO, question="Which department's emails, and which months?"),
              cases.expire]),
        Play("public-records", applicants["marcus"],
             _records("Minutes of the Pier Board meetings in 2025.", APPLICANTS["marcus"]), 3, [],
             keyed_by=people[Role.AGENT]),
    ]  # fmt: skip
    for play in plays:
        _play(play, now)
    return len(plays)
