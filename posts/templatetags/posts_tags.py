from django import template

from posts import text
from posts.cards import CardBuilder

register = template.Library()


@register.filter
def linkify(value: str):
    """Escaped text with #tags and @mentions linked (posts.text.linkify)."""
    return text.linkify(value)


@register.filter
def ratio_class(width: int, height: int) -> str:
    """The carousel's frame, clamped between 3:4 and 4:3 like the apps do."""
    if not width or not height:
        return "ratio-square"
    ratio = width / height
    if ratio < 0.9:
        return "ratio-portrait"
    if ratio > 1.1:
        return "ratio-landscape"
    return "ratio-square"


@register.simple_tag(takes_context=True)
def note_card(context, note):
    """posts/_card.html's values for one `posts.cards.NoteCard`, `liked_ids` (optional) from the context."""
    return CardBuilder(liked_ids=context.get("liked_ids") or ()).card(note)
