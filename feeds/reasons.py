"""Reason codes stored with Explore items (feeds.ranking) rendered as text in the reader's language."""

from django.utils import translation
from django.utils.translation import gettext as _

from feeds import ranking
from redbook.memo import Memo

# A page shows twenty reasons, mostly the same few: each is looked up once per language.
_REASONS: Memo[str] = Memo(size=4096)


def reason_text(code: str) -> str:
    language = translation.get_language()
    return _REASONS.get((code, language), lambda: _text_in(code, language))


def _text_in(code: str, language: str | None) -> str:
    with translation.override(language):
        return _text(code)


def _text(code: str) -> str:
    kind, _sep, arg = code.partition(":")
    if kind == ranking.REASON_TAG and arg:
        return _("Because you liked #%(tag)s") % {"tag": arg}
    if kind == ranking.REASON_TOPIC and arg:
        return _("Because you follow #%(tag)s") % {"tag": arg}
    if kind == ranking.REASON_LIKED_BY and arg:
        return _("Liked by @%(username)s") % {"username": arg}
    if kind == ranking.REASON_CITY and arg:
        return _("Popular in %(city)s") % {"city": arg}
    if kind == ranking.REASON_SIMILAR:
        return _("Similar to notes you liked")
    if kind == ranking.REASON_NEW:
        return _("New from a rising creator")
    return _("Trending now")
