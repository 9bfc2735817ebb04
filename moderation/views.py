"""The report page: the browser's way to file a report (the API has POST reports/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moderation import selectors, services
from moderation.forms import AppealForm, ReportForm
from moderation.targets import SPECS
from redbook.exceptions import NotFound, ServiceError
from redbook.throttling import ReportThrottle, rate_limited


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()) else "/"


@login_required
def report_page(request, target_type: str, target_id: str):
    if target_type not in SPECS:
        raise Http404
    target = selectors.reportable_target(target_type=target_type, raw_id=target_id, reporter=request.user)
    if target is None:
        raise Http404
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if wait := rate_limited(request, ReportThrottle):
            form.add_error(None, _("Too many reports. Try again in %(seconds)d seconds.") % {"seconds": wait})
            status = 429
        else:
            try:
                services.report_create(
                    reporter=request.user, target_type=target_type, target_id=target_id, **form.cleaned_data
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thanks. Our moderators will review your report."))
                return redirect(_next_url(request))
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "label": SPECS[target_type].label(target), "next": _next_url(request)}
    return render(request, "moderation/report.html", context, status=status)


@login_required
@require_POST
def appeal_page(request, note_id: int):
    """The banner's appeal form posts here; the note's page shows the result."""
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us why the note should come back."))
    else:
        try:
            services.appeal_create(author=request.user, note_id=note_id, reason=form.cleaned_data["reason"])
        except NotFound:
            raise Http404 from None
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thanks. A moderator will review your appeal."))
    return redirect("posts:note-detail", note_id=note_id)
