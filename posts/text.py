"""#tags and @mentions in note bodies and comments: parsing, and safe linked HTML."""

import re
import unicodedata

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


# What a tag never holds: URL structure ("/" made the note page a 500 for everyone),
# double quotes and brackets, and the comma that separates tags in the API's list.
_TAG_UNSAFE = frozenset('/\\?#%<>"{}|[]^,')


def tag_normalize(raw) -> str:
    """The one tag normaliser: every path that creates tags (API, pages, #tags in bodies, the
    seed) goes through it, so a tag is always safe in a URL path and never "", "." or "..".

    NFKC folds look-alikes ("＃", "／", full-width letters); URL-unsafe characters, controls
    and any space become one space; leading "#" and surrounding dots and spaces go.
    """
    text = unicodedata.normalize("NFKC", str(raw)[: TAG_MAX_LENGTH * 4])
    text = "".join(" " if ch in _TAG_UNSAFE or unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(text.split())[:TAG_MAX_LENGTH].strip(" .")


class TagConverter:
    """`<tag:name>` in URLs: any tag, even one made outside `tag_normalize` (the admin, an old row).

    `{% url 'posts:tag' name %}` must never raise for a tag on a note (a NoReverseMatch
    is a 500 for everyone who opens it). "%" and "/" are escaped inside the segment, and
    a name of dots too (a "." or ".." segment is resolved away by browsers); reading the
    URL undoes it, so every tag has a URL that leads back to it. Registered in PostsConfig.
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value.replace("%2F", "/").replace("%2E", ".").replace("%25", "%")

    def to_url(self, value) -> str:
        text = str(value).replace("%", "%25").replace("/", "%2F")
        return text if text.strip(".") else text.replace(".", "%2E")


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
            tag = tag_normalize(raw)
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
