"""Avatars: the uploaded photo, or one drawn from the name for everyone without one.

The drawn avatar is a small SVG (initials on a gradient whose colours come from the
username) inlined as a data: URL, so a page of cards costs no request and no file per
user, and the same person looks the same on every page.
"""

import functools
import hashlib
import unicodedata
from urllib.parse import quote

from django.utils.html import escape

# Pairs of (light, deep) colours that carry white initials; picked by the username's hash.
PALETTE = (
    ("#ff8a9b", "#ff2442"),
    ("#ffb36b", "#f2622e"),
    ("#f7c948", "#e08a00"),
    ("#7fd6a4", "#1f9d63"),
    ("#6fd0d8", "#138a9e"),
    ("#8ab8ff", "#3366e0"),
    ("#b59cff", "#6a4bd8"),
    ("#f59ad8", "#c43f9a"),
    ("#a8b3c4", "#56627a"),
    ("#d9a77a", "#9a5b2e"),
)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
    '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
    '<stop offset="0" stop-color="{light}"/><stop offset="1" stop-color="{deep}"/></linearGradient></defs>'
    '<rect width="96" height="96" fill="url(#g)"/>'
    '<text x="48" y="48" dy=".36em" text-anchor="middle" fill="#fff" font-size="{size}" font-weight="600" '
    "font-family=\"-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',system-ui,sans-serif\">"
    "{text}</text></svg>"
)
URL_SAFE = "=:/',;()-."  # quoted besides: '#' would start a fragment, '"' and '<' end the attribute


def avatar_url(user) -> str:
    """The URL an <img> shows for `user`: the uploaded avatar, else the drawn one."""
    if user.avatar:
        return user.avatar.url
    return generated_avatar_url(username=user.username, name=user.name)


@functools.lru_cache(maxsize=8192)
def generated_avatar_url(*, username: str, name: str) -> str:
    """A data: URL of the drawn avatar. A feed page draws twenty: only the initials are quoted
    per call, the rest of the markup was quoted once (quoting the whole SVG cost ~0.2 ms), and
    authors who come back are cached."""
    text = initials(name or username)
    colours = hashlib.blake2s(username.encode(), digest_size=2).digest()[0] % len(PALETTE)
    head, tail = _QUOTED[colours, len(text) > 1]
    return head + quote(escape(text), safe=URL_SAFE) + tail


def _quoted(light: str, deep: str, size: int) -> tuple[str, str]:
    """The data: URL before and after the initials, for one palette entry and text size."""
    head, tail = SVG.format(light=light, deep=deep, size=size, text="\0").split("\0")
    return "data:image/svg+xml," + quote(head, safe=URL_SAFE), quote(tail, safe=URL_SAFE)


_QUOTED = {
    (index, two_letters): _quoted(light, deep, 40 if two_letters else 46)
    for index, (light, deep) in enumerate(PALETTE)
    for two_letters in (False, True)
}


def initials(name: str) -> str:
    """ "Lily Chen" -> "LC", "lily" -> "L", "林小雨" -> "林": two Latin initials, one CJK character."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    first = words[0][0]
    if _is_wide(first) or len(words) == 1:
        return first.upper()
    second = words[1][0]
    return (first + ("" if _is_wide(second) else second)).upper()


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")
