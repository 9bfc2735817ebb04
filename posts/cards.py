"""A grid card's values (templates/posts/_card.html) built in Python, and cheap URLs for them.

A feed page renders twenty cards: reversing two URLs, formatting a number and resolving
some forty template lookups per card cost more CPU than the page's queries, so
`CardBuilder` reverses each URL once per page and hands the template a flat dict.
"""

import re
from urllib.parse import quote

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from accounts.avatars import generated_avatar_url
from posts.models import Note, NoteImage

# A stored file name of plain segments: FileSystemStorage.url() (quote, then urljoin onto
# base_url) gives base_url + name for it, so cards skip both per image URL.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")
_PLACEHOLDER = "9876543210"  # matches both the int and the str converter, and no other part of a URL
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def storage_url(storage, name: str) -> str:
    """`storage.url(name)`, without its quoting and joining for a plain name on the file system."""
    real = getattr(storage, "_wrapped", storage)  # default_storage is a LazyObject
    if type(real) is FileSystemStorage and _PLAIN_NAME.fullmatch(name):
        return real.base_url + name
    return storage.url(name)


class UrlPattern:
    """`reverse(viewname, kwargs={kwarg: value})` for many values from one reversal: the
    value, quoted as reverse() quotes it, goes where a placeholder came out."""

    def __init__(self, viewname: str, kwarg: str):
        self.prefix, self.suffix = reverse(viewname, kwargs={kwarg: _PLACEHOLDER}).rsplit(_PLACEHOLDER, 1)

    def __call__(self, value) -> str:
        return f"{self.prefix}{quote(str(value), safe=_URL_SAFE)}{self.suffix}"


class CardBuilder:
    """The cards of one page: `card(note)` for notes from `posts.selectors.note_cards` (images
    prefetched) or the feeds' hydration (images as `card_images` rows); `liked_ids` marks hearts."""

    def __init__(self, *, liked_ids=()):
        self.liked_ids = liked_ids
        self.note_url = UrlPattern("posts:note-detail", "note_id")
        self.profile_url = UrlPattern("accounts:profile", "username")
        self.thumb_storage = NoteImage._meta.get_field("thumb").storage

    def _cover(self, note: Note) -> dict | None:
        rows = getattr(note, "card_images", None)
        if rows is None:
            image = next(iter(note.images.all()), None)
            return image and {"url": image.thumb.url, "width": image.thumb_width, "height": image.thumb_height}
        if not rows:
            return None
        _display, thumb, _original, _width, _height, thumb_width, thumb_height = rows[0]
        return {"url": storage_url(self.thumb_storage, thumb), "width": thumb_width, "height": thumb_height}

    def card(self, note: Note) -> dict:
        author = note.author
        avatar = author.avatar
        if avatar:
            avatar_url = storage_url(avatar.storage, avatar.name)
        else:
            avatar_url = generated_avatar_url(username=author.username, name=author.name)
        return {
            "id": note.pk,
            "url": self.note_url(note.pk),
            "title": note.title,
            "cover": self._cover(note),
            "author_id": note.author_id,
            "author_url": self.profile_url(author.username),
            "author_name": author.name,
            "avatar_url": avatar_url,
            "liked": note.pk in self.liked_ids,
            "like_count": intcomma(note.like_count),
            "video": video_badge(note),
        }


def video_badge(note: Note) -> dict | None:
    """A video note card's play badge and length (posts/_video_badge.html), from the note's
    row alone; None for photo notes."""
    if note.media_type != Note.MediaType.VIDEO:
        return None
    seconds = note.video_seconds or 0
    return {"duration": f"{seconds // 60}:{seconds % 60:02d}", "seconds": seconds}
