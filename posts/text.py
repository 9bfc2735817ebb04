"""#tags and @mentions in note bodies and comments: parsing, and safe linked HTML."""

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

MAX_TAGS = 20
TAG_MAX_LENGTH = 50

# `\w` is Unicode-aware: "#护肤" and "#skincare" are both tags. A tag or mention must
# not follow a word character, so "a@b.com" and "C#" are left alone.
HASHTAG_RE = re.compile(rf"(?<![\w&#])#(\w{{1,{TAG_MAX_LENGTH}}})")
MENTION_RE = re.compile(r"(?<![\w@])@(\w[\w.+-]{0,149})")
TOKEN_RE = re.compile(f"{HASHTAG_RE.pattern}|{MENTION_RE.pattern}")


def clean_tag(raw: str) -> str:
    return raw.strip().lstrip("#").strip()[:TAG_MAX_LENGTH]


def _mention_name(raw: str) -> str:
    return raw.rstrip(".")  # "thanks @lin." mentions lin


def hashtags(text: str) -> list[str]:
    return [match.group(1) for match in HASHTAG_RE.finditer(text or "")]


def mentions(text: str) -> set[str]:
    return {_mention_name(match.group(1)) for match in MENTION_RE.finditer(text or "")}


def merge_tags(*groups) -> list[str]:
    """Cleaned, case-insensitively deduplicated tags, first spelling kept, capped."""
    seen, merged = set(), []
    for group in groups:
        for raw in group:
            tag = clean_tag(raw)
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                merged.append(tag)
    return merged[:MAX_TAGS]


def linkify(text: str) -> SafeString:
    """Escape `text`, then link #tags to their page and @mentions to the profile."""
    parts, last = [], 0
    for match in TOKEN_RE.finditer(text or ""):
        parts.append(escape(text[last : match.start()]))
        tag, name = match.group(1), match.group(2)
        if tag:
            url = reverse("posts:tag", kwargs={"name": tag})
            parts.append(format_html('<a class="hashtag" href="{}">#{}</a>', url, tag))
        else:
            name = _mention_name(name)
            trailing = match.group(2)[len(name) :]
            parts.append(format_html('<a class="mention" href="/u/{}/">@{}</a>{}', name, name, trailing))
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return mark_safe("".join(parts))  # every piece above is escaped
