"""Key in a resident's paper application: the service, who applied, the scan; then the form is filled in.

The draft is made on the applicant's account with channel "paper" and the scan attached
(`applications.services.application_start_on_paper`); the staff member then fills in the same form
the resident would, on the resident app's own pages (`access.application_for_filler` lets the keyer
in), and confirms the handwritten signature instead of signing. From then on it is a digital case.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cityhall.applications import access
from cityhall.applications.services import Upload, application_start_on_paper
from cityhall.core.errors import DomainError, ValidationFailed
from cityhall.core.ratelimit import limit_posts

from ..forms import PaperApplicationForm
from .common import field_errors, staff_page

# The domain's names for what went wrong, as this form's fields.
FIELDS = {"email": "applicant_email", "name": "applicant_name", "scan": "scan", "service": "service"}


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
@limit_posts("paper", per_minute=20)
def paper_application(request: HttpRequest) -> HttpResponse:
    if not access.may_key_paper(request.user):
        raise Http404
    form = PaperApplicationForm(request.POST or None, request.FILES or None, auto_id="paper_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scan = data["scan"]
            application = application_start_on_paper(
                data["service"],
                applicant_email=data["applicant_email"],
                applicant_name=data["applicant_name"],
                keyed_by=request.user,  # type: ignore[arg-type]  # may_key_paper: an active staff account
                scan=Upload(stream=scan, name=scan.name or "scan"),
                language=data["language"],
            )
        except ValidationFailed as invalid:
            for field, message in field_errors(invalid).items():
                form.add_error(FIELDS.get(field), message)
        except DomainError as refused:
            form.add_error("service", str(refused.translated))
        else:
            return redirect("citizen:application_edit", reference=application.reference)
    return render(request, "staff/paper_application.html", {"form": form}, status=400 if form.errors else 200)
