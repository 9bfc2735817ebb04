"""`{% takedown_banner note %}`: what the author of a hidden note is told on its page."""

from django import template

from moderation import selectors
from moderation.forms import AppealForm

register = template.Library()


@register.inclusion_tag("moderation/_takedown_banner.html", takes_context=True)
def takedown_banner(context, note):
    """Shown to the author only (everyone else gets a 404 for a hidden note); two small
    queries, and none at all for a note that is up."""
    user = context["request"].user
    if not (note.is_hidden and user.is_authenticated and user.pk == note.author_id):
        return {"shown": False}
    case, appeal = selectors.takedown_of(note=note)
    return {
        "shown": True,
        # A moderator's decision (it stays during an appeal), not a hold pending review.
        "taken_down": case is not None and case.resolved_at is not None and not case.auto_hidden,
        "note": note,
        "case": case,
        "appeal": appeal,
        "form": AppealForm() if appeal is None else None,
        "csrf_token": context.get("csrf_token"),
    }
