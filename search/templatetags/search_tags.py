import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text, terms) -> SafeString:
    """`text` escaped, with each occurrence of a search term wrapped in <mark>."""
    text = str(text or "")
    terms = sorted({term for term in terms or () if term}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(format_html("<mark>{}</mark>", found.group()))
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece above is escaped
