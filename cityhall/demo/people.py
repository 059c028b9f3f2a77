"""Demo accounts, one per role, with passwords printed by `make run` (never use these in production)."""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import Role, User
from cityhall.catalogue.models import Crew, Department, Jurisdiction

DEMO_PASSWORD = "santa-monica-311"  # noqa: S105 -- a published demo password, printed by make run


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    department_slug: str | None = None


ACCOUNTS = [
    DemoAccount("resident@demo.cityhall.test", "Rosa Resident", Role.RESIDENT),
    DemoAccount("agent@demo.cityhall.test", "Aaron Agent (311 desk)", Role.AGENT),
    DemoAccount("staff@demo.cityhall.test", "Sam Staff (Public Works)", Role.STAFF, "public-works"),
    DemoAccount("crew@demo.cityhall.test", "Carla Crew (Public Works)", Role.CREW, "public-works"),
    DemoAccount("supervisor@demo.cityhall.test", "Sofia Supervisor (Public Works)", Role.SUPERVISOR, "public-works"),
    DemoAccount("admin@demo.cityhall.test", "Adam Admin", Role.ADMIN),
]


def ensure_accounts(jurisdiction: Jurisdiction) -> dict[Role, User]:
    users = {}
    for account in ACCOUNTS:
        department = (
            Department.objects.get(jurisdiction=jurisdiction, slug=account.department_slug)
            if account.department_slug
            else None
        )
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(account.email, DEMO_PASSWORD, name=account.name, role=account.role)
        user.department = department
        # Least privilege: only the city admin opens the Django admin; the others work in the
        # resident app and the staff workspace.
        user.is_staff = user.is_superuser = account.role == Role.ADMIN
        user.save()
        mark_email_verified(user)
        users[account.role] = user
    ensure_crew(users[Role.CREW])
    return users


DEMO_CREW = "Street repair crew"


def ensure_crew(member: User) -> Crew:
    """Public Works' street crew, with the demo crew member in it: part of the demo work goes to the crew."""
    crew, _created = Crew.objects.get_or_create(department=member.department, name=DEMO_CREW)
    crew.members.add(member)
    return crew


def sign_in_lines(base_url: str) -> list[str]:
    lines = [
        f"Demo sign-ins at {base_url}/accounts/login/ (password for all: {DEMO_PASSWORD}).",
        "Staff roles set up an authenticator app or a passkey at their first sign-in; the city admin",
        f"then opens {base_url}/admin/",
    ]
    lines += [f"  {account.role.label:<17} {account.email}" for account in ACCOUNTS]
    return lines
