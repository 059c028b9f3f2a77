"""A signed sample document for the demo: a block-party permit, signed by the demo supervisor and sealed.

The demo supervisor has no authenticator app (demo sign-ins stay one step), so the loader asks for the
certificate without the second-factor check real signing requires: the one place that does, and only
here (docs/documents.md, "The demo").
"""

from __future__ import annotations

from cityhall.accounts.models import Role, User
from cityhall.documents import services
from cityhall.documents.models import Document
from cityhall.documents.selectors import documents_about

SUBJECT = "demo:block-party"


def sample_permit(people: dict[Role, User]) -> Document:
    existing = documents_about(SUBJECT).first()
    if existing is not None:
        return existing
    document = services.document_issue(
        kind="permit",
        title="Block party permit: 2nd Street, Saturday June 13",
        paragraphs=[
            "The City of Santa Monica permits a neighborhood block party on 2nd Street between Arizona "
            "Avenue and Wilshire Boulevard on Saturday, June 13, from 2 PM to 9 PM.",
            "The organizer is responsible for the conditions below. The permit may be withdrawn if they are not met.",
        ],
        conditions=[
            "Keep a 20-foot lane open for emergency vehicles at all times.",
            "Place the city's barricades at both ends before 2 PM and remove them by 10 PM.",
            "Amplified music ends at 9 PM.",
            "Leave the street clean; trash and recycling go in the bins the city provides.",
        ],
        subject=SUBJECT,
        language="en",
    )
    signed = services.document_sign_by(document, people[Role.SUPERVISOR], second_factor_required=False)
    return services.document_seal(signed)
