"""Message pages: the inbox (with the requests folder) and the chat.

Reading and sending work without JavaScript (a form post); static/js/messages.js makes
the chat live over the socket. Looking changes nothing (a GET may be a prefetch): the
script marks what it shows as read, and sending a reply marks the conversation read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from messaging import selectors, services
from messaging.models import Membership
from messaging.throttles import ConversationThrottle, MessageThrottle
from redbook.exceptions import Forbidden, ServiceError, page_errors
from redbook.throttling import rate_limit

INBOX_PAGE = 50
CHAT_PAGE = 50


@login_required
def inbox_page(request):
    folder = request.GET.get("folder")
    folder = folder if folder in Membership.Folder.values else Membership.Folder.INBOX
    rows = list(selectors.inbox(user=request.user, folder=folder).order_by("-updated_at", "-id")[:INBOX_PAGE])
    context = {
        "rows": rows,
        "folder": folder,
        "requests_count": selectors.requests_count(user=request.user),
    }
    return render(request, "messaging/inbox.html", context)


def _chat(request, conversation_id, *, draft: str = "", status: int = 200):
    membership = selectors.membership_get(user=request.user, conversation_id=conversation_id)
    newest = list(selectors.messages_before(membership=membership).order_by("-id")[:CHAT_PAGE])
    context = {
        "membership": membership,
        "other": membership.other,
        "chat_messages": list(reversed(newest)),
        "other_read_id": membership.other_read_id or 0,
        "draft": draft,
        "is_request": membership.folder == Membership.Folder.REQUESTS,
    }
    return render(request, "messaging/chat.html", context, status=status)


@login_required
@page_errors
def chat_page(request, conversation_id):
    return _chat(request, conversation_id)


@login_required
@require_POST
@page_errors
@rate_limit(MessageThrottle)
def send(request, conversation_id):
    body = request.POST.get("body", "")
    try:
        services.message_send(  # replying also marks the conversation read
            sender=request.user,
            conversation_id=conversation_id,
            body=body,
            image=request.FILES.get("image"),
            idempotency_key=request.POST.get("idempotency_key"),
        )
    except Forbidden:
        raise
    except ServiceError as exc:  # the page again, with the text kept
        messages.error(request, exc.message)
        return _chat(request, conversation_id, draft=body, status=exc.status_code)
    return redirect("messaging:chat", conversation_id=conversation_id)


@login_required
@require_POST
@page_errors
@rate_limit(ConversationThrottle)
def start(request):
    """Open (or find) the conversation with an account, optionally sending a note or a
    product into it ("Ask the brand", "Send to a friend")."""
    other = account_selectors.user_get_active(username=request.POST.get("username", "").strip().lstrip("@"))
    try:
        conversation, _created = services.conversation_start(user=request.user, other=other)
        if request.POST.get("note_id") or request.POST.get("product_id"):
            services.message_send(
                sender=request.user,
                conversation_id=conversation.pk,
                body=request.POST.get("body", ""),
                note_id=request.POST.get("note_id"),
                product_id=request.POST.get("product_id"),
                idempotency_key=request.POST.get("idempotency_key"),
            )
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(request.POST.get("next") if _safe_next(request) else "messaging:inbox")
    return redirect("messaging:chat", conversation_id=conversation.pk)


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    return url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()})


@login_required
@require_POST
@page_errors
def accept(request, conversation_id):
    services.conversation_accept(user=request.user, conversation_id=conversation_id)
    return redirect("messaging:chat", conversation_id=conversation_id)


@login_required
@require_POST
@page_errors
def delete(request, conversation_id):
    services.conversation_delete(user=request.user, conversation_id=conversation_id)
    messages.success(request, _("Conversation deleted."))
    return redirect("messaging:inbox")
