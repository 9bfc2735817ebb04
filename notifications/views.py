from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import selectors, services


@login_required
def notifications_page(request):
    """Looking changes nothing (a GET may be a prefetch): "Mark all as read" POSTs."""
    return render(request, "notifications/notifications.html", {"groups": selectors.grouped_page(user=request.user)})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:page")
