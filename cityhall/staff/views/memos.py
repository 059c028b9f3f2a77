"""Internal memos in the staff workspace: what waits for my signature, uploading a memo, and its page.

The documents app decides everything (`cityhall.documents.memos`): who sees a memo (`access.memo_for_staff`,
its author and signers; anyone else gets a 404), whose turn it is and what each person may do
(`memo_actions`, the buttons shown, which the services enforce). The PDF is downloaded through the
documents app's own door (`documents:download`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cityhall.core.errors import DomainError, ValidationFailed
from cityhall.documents.access import memo_for_staff
from cityhall.documents.memos import memo_actions, memo_decline, memo_sign, memo_upload, memo_withdraw
from cityhall.documents.models import Memo
from cityhall.documents.selectors import memo_events, memo_signers, memos_of, memos_waiting_for
from cityhall.requests.access import staff_account

from ..forms import MemoActionForm, MemoForm
from .common import field_errors, staff_page

# The lists show the most recent memos; older ones stay reachable by their links.
LISTED = 50
REFUSAL_STATUS = {"forbidden": 403, "conflict": 409, "unavailable": 503}


@require_safe
@staff_page
def memos(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/memos.html",
        {
            "waiting": list(memos_waiting_for(staff_account(request.user).pk)[:LISTED]),
            "mine": list(memos_of(staff_account(request.user).pk)[:LISTED]),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def memo_new(request: HttpRequest) -> HttpResponse:
    form = MemoForm(request.POST or None, request.FILES or None, auto_id="memo_%s")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        try:
            memo = memo_upload(
                upload,
                name=upload.name or "",
                title=form.cleaned_data["title"],
                signers=form.signers(),
                author=staff_account(request.user),
            )
        except ValidationFailed as error:
            for field, message in field_errors(error).items():
                form.add_error("signer_1" if field == "signers" else field if field in form.fields else None, message)
        except DomainError as error:
            form.add_error(None, str(error.translated))
        else:
            messages.success(
                request,
                _("Memo %(number)s is on its way to its first signer.") % {"number": memo.document.number},
            )
            return redirect("staff:memo", number=memo.document.number)
    form.describe_errors()
    return render(request, "staff/memo_new.html", {"form": form}, status=400 if form.errors else 200)


def _page(request: HttpRequest, memo: Memo, *, form: MemoActionForm | None = None, status: int = 200) -> HttpResponse:
    signers = memo_signers(memo)
    turn = next((row for row in signers if row.signed_at is None), None) if memo.status == Memo.Status.ROUTING else None
    context: dict[str, Any] = {
        "memo": memo,
        "document": memo.document,
        "signers": signers,
        "turn": turn,
        "events": memo_events(memo),
        "actions": memo_actions(memo, staff_account(request.user)),
        "form": form or MemoActionForm(),
    }
    return render(request, "staff/memo.html", context, status=status)


@require_safe
@staff_page
def memo(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, memo_for_staff(request, number))


DONE = {
    "sign": gettext_lazy("You signed memo %(number)s."),
    "decline": gettext_lazy("You declined memo %(number)s; its author can read why."),
    "withdraw": gettext_lazy("You withdrew memo %(number)s."),
}


@require_POST
@staff_page
def memo_act(request: HttpRequest, number: str) -> HttpResponse:
    found = memo_for_staff(request, number)
    form = MemoActionForm(request.POST, auto_id="memo_%s")
    if not form.is_valid():
        return _page(request, found, form=form, status=400)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    person = staff_account(request.user)
    try:
        if action == "sign":
            memo_sign(found.document, person)
        elif action == "decline":
            memo_decline(found.document, person, reason)
        else:
            memo_withdraw(found.document, person, reason)
    except ValidationFailed as error:
        for field, message in field_errors(error).items():
            form.add_error(field if field in form.fields else None, message)
        return _page(request, found, form=form, status=400)
    except DomainError as error:
        form.add_error(None, str(error.translated))
        return _page(request, memo_for_staff(request, number), form=form, status=REFUSAL_STATUS.get(error.code, 400))
    messages.success(request, str(DONE[action]) % {"number": found.document.number})
    return redirect("staff:memo", number=found.document.number)
