"""Applying online: choose a service, fill in the form (a draft kept on the account), review, sign, follow.

Every page of an application goes through its door (`applications.access`): a reference that is not
yours is a 404, as one that does not exist. Every write is a service of the applications domain,
which judges the answers; these views only carry them and show the errors beside the fields.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cityhall.accounts.models import User
from cityhall.applications import access, selectors, services, signing
from cityhall.applications.consent import consent_for
from cityhall.applications.models import Application, ApplicationEvent, Channel, Status
from cityhall.applications.services import Upload
from cityhall.core.error_summary import summary_line
from cityhall.core.errors import DomainError, NotFound, ValidationFailed
from cityhall.core.ratelimit import client_address, limit_posts
from cityhall.core.storage import stored_file_response

from .application_form import answered_sections, form_sections, posted_answers

Response = TypeVar("Response", bound=HttpResponseBase)
SIGN_FIELDS = {"typed_name": "sign-name", "consent": "sign-consent", "reviewed": "sign-name"}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _mine(request: HttpRequest, reference: str) -> Application:
    try:
        return access.application_for_applicant(request.user, reference)
    except NotFound:
        raise Http404 from None


def _fillable(request: HttpRequest, reference: str) -> Application:
    """A draft's door: the applicant's, or the keyer's for a paper draft (`access.application_for_filler`)."""
    try:
        return access.application_for_filler(request.user, reference)
    except NotFound:
        raise Http404 from None


def _after_submission(request: HttpRequest, application: Application) -> HttpResponse:
    """The applicant follows it on its status page; the staff member who keyed a paper one, in the workspace."""
    if application.applicant_id != request.user.pk:
        return redirect("staff:application", reference=application.reference)
    return redirect("citizen:application_status", reference=application.reference)


def _private(response: Response) -> Response:
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    return render(request, "citizen/apply_list.html", {"services": selectors.services_offered()})


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("apply", per_minute=20)
def service_start(request: HttpRequest, code: str) -> HttpResponse:
    """A service's page: what it is for; signed in, "Start" makes a draft on the account."""
    try:
        service = selectors.service_offered(code)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            application = services.application_start(service, applicant=_user(request), language=get_language() or "en")
        except DomainError as refused:
            messages.error(request, str(refused.translated))
            return redirect("citizen:apply_list")
        return redirect("citizen:application_edit", reference=application.reference)
    return render(request, "citizen/apply_start.html", {"service": service})


@require_safe
@login_required
def my_applications(request: HttpRequest) -> HttpResponseBase:
    rows = selectors.applications_of(_user(request))
    return _private(
        render(
            request, "citizen/my_applications.html", {"applications": rows, "services": selectors.services_offered()}
        )
    )


def _sign_error_links(errors: dict[str, str]) -> list[tuple[str, str]]:
    return [(SIGN_FIELDS.get(key, "sign-name"), str(message)) for key, message in errors.items()]


def _page(request: HttpRequest, template: str, context: dict[str, Any], errors: dict[str, str]) -> HttpResponse:
    """A page of a draft: 400 when it shows errors, never kept by a cache (it holds personal answers)."""
    return _private(render(request, template, context, status=400 if errors else 200))


DraftView = Callable[[HttpRequest, Application], HttpResponse]


def draft_page(view: DraftView) -> Callable[[HttpRequest, str], HttpResponse]:
    """A page of a draft its filler may see; a submitted application goes to its status page instead."""

    @require_http_methods(["GET", "HEAD", "POST"])
    @login_required
    @limit_posts("apply", per_minute=20)
    @functools.wraps(view)
    def wrapped(request: HttpRequest, reference: str) -> HttpResponse:
        application = _fillable(request, reference)
        if application.status != Status.DRAFT:
            return _after_submission(request, application)
        return view(request, application)

    return wrapped


def _edit_page(
    request: HttpRequest, application: Application, values: dict[str, Any], errors: dict[str, str]
) -> HttpResponse:
    sections = form_sections(application, values, errors)
    # The summary names each question, in form order: "Answer this question." alone says not which.
    links = [
        (item.id, summary_line(item.label, item.error)) for section in sections for item in section.fields if item.error
    ]
    context = {"application": application, "sections": sections, "error_links": links}
    return _page(request, "citizen/application_edit.html", context, errors)


@draft_page
def application_edit(request: HttpRequest, application: Application) -> HttpResponse:
    reference = application.reference
    if request.method != "POST":
        return _edit_page(request, application, application.answers, {})
    answers, uploads = posted_answers(request, application)
    try:
        application = services.application_save(application, answers=answers, uploads=uploads, actor=_user(request))
    except ValidationFailed as invalid:
        kept_files = {key: application.answers.get(key) for key in uploads}
        values = {**answers, **kept_files}
        return _edit_page(request, application, values, {k: str(v) for k, v in invalid.translated_errors.items()})
    except DomainError as refused:
        messages.error(request, str(refused.translated))
        return _after_submission(request, application)
    if request.POST.get("action") == "review":
        if missing := services.submission_errors(application):
            return _edit_page(request, application, application.answers, missing)
        return redirect("citizen:application_review", reference=reference)
    messages.success(request, _("Draft saved. You can come back to it from any device, under “My applications”."))
    return redirect("citizen:application_edit", reference=reference)


def _review_page(request: HttpRequest, application: Application, errors: dict[str, str]) -> HttpResponse:
    context = {
        "application": application,
        "sections": answered_sections(application),
        "reviewed": signing.answers_digest(application),
        "consent_text": consent_for(application.channel)[1],
        "on_paper": application.channel == Channel.PAPER,
        "typed_name": request.POST.get("typed_name", ""),
        "errors": errors,
        "error_links": _sign_error_links(errors),
    }
    return _page(request, "citizen/application_review.html", context, errors)


@draft_page
def application_review(request: HttpRequest, application: Application) -> HttpResponse:
    """Everything answered, read back; then the signature: a typed name and an explicit consent."""
    reference = application.reference
    if request.method != "POST":
        if services.submission_errors(application):
            return redirect("citizen:application_edit", reference=reference)
        return _review_page(request, application, {})
    try:
        services.application_submit(
            application,
            typed_name=request.POST.get("typed_name", ""),
            consent=request.POST.get("consent") == "yes",
            reviewed=request.POST.get("reviewed", ""),
            actor=_user(request),
            ip_address=client_address(request) or None,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationFailed as invalid:
        errors = {k: str(v) for k, v in invalid.translated_errors.items()}
        if set(errors) - set(SIGN_FIELDS):  # the answers themselves no longer pass: back to the form
            return _edit_page(request, application, application.answers, errors)
        return _review_page(request, application, errors)
    except DomainError as refused:
        messages.error(request, str(refused.translated))
        return _after_submission(request, application)
    if application.channel == Channel.PAPER:
        messages.success(request, _("The paper application was submitted: it is reviewed like any other."))
    else:
        messages.success(request, _("Your application was signed and submitted."))
    return _after_submission(request, application)


ANSWER_FIELDS = {"answer": "answer-text", "files": "answer-files"}


def _status_page(request: HttpRequest, application: Application, errors: dict[str, str]) -> HttpResponse:
    """The applicant's page: where it stands, the city's question to answer (with the form), the history."""
    events = selectors.application_timeline(application)  # never the staff's internal notes
    asked = [event for event in events if event.kind == ApplicationEvent.Kind.INFO_REQUESTED]
    context = {
        "application": application,
        "sections": answered_sections(application),
        "events": events,
        "signature": getattr(application, "signature", None),
        "decision": access.decision_of(application),
        "question": asked[-1].text if asked and application.status == Status.INFO_REQUESTED else "",
        "errors": errors,
        "error_links": [(ANSWER_FIELDS.get(key, "answer-text"), message) for key, message in errors.items()],
        "answer": request.POST.get("answer", "") if errors else "",
    }
    return _page(request, "citizen/application_status.html", context, errors)


@require_safe
@login_required
def application_status(request: HttpRequest, reference: str) -> HttpResponseBase:
    return _status_page(request, _mine(request, reference), {})


@require_POST
@login_required
@limit_posts("apply", per_minute=20)
def application_answer(request: HttpRequest, reference: str) -> HttpResponse:
    """The applicant answers the city's question, with files if they like; the review goes on."""
    try:
        application, actor = access.applicant_actor(request.user, reference)
    except NotFound:
        raise Http404 from None
    uploads = [Upload(file, file.name or "") for file in request.FILES.getlist("files")]
    try:
        services.application_respond(application, actor=actor, answer=request.POST.get("answer", ""), uploads=uploads)
    except ValidationFailed as invalid:
        return _status_page(request, application, {k: str(v) for k, v in invalid.translated_errors.items()})
    except DomainError as refused:
        messages.error(request, str(refused.translated))
        return redirect("citizen:application_status", reference=reference)
    messages.success(request, _("Your answer was sent to the city. The review goes on."))
    return redirect("citizen:application_status", reference=reference)


@require_safe
@login_required
def application_decision(request: HttpRequest, reference: str) -> HttpResponseBase:
    """The signed decision (a permit, a letter), to its applicant: the PDF to show and that anyone checks at /verify."""
    try:
        document = access.decision_for_applicant(request.user, reference)
        response = stored_file_response(
            document.file_name, content_type="application/pdf", as_attachment=True, filename=f"{document.number}.pdf"
        )
    except (NotFound, FileNotFoundError):
        raise Http404 from None
    return _private(response)


@require_safe
@login_required
def application_file(request: HttpRequest, reference: str, file_id: str) -> HttpResponseBase:
    """A supporting document, to its applicant (or a paper draft's keyer); checked when stored, sent as a download."""
    try:
        stored = access.file_for_filler(request.user, reference, file_id)
    except NotFound:
        raise Http404 from None
    try:
        response = stored_file_response(
            stored.file.name, content_type=stored.content_type, as_attachment=True, filename=stored.name
        )
    except FileNotFoundError:
        raise Http404 from None
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
