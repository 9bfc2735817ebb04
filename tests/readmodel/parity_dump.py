"""Dump every note list (JSON endpoints and HTML pages) of a seeded world, to prove a refactor byte-identical.

The proof of issue 19's read model (posts/cards.py): run this against one seeded database
before and after the change and `diff -r` the two folders; nothing may differ.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rb_parity REDIS_URL=redis://127.0.0.1:6379/1 DEBUG=1 \
      .venv/bin/python manage.py seed_demo --users 150 --notes 800 --seed 42 --no-progress
    ... (same environment) .venv/bin/python -m tests.readmodel.parity_dump var/parity/before
    (change the code, or `git stash`/checkout the other side)
    ... .venv/bin/python -m tests.readmodel.parity_dump var/parity/after
    diff -r var/parity/before var/parity/after

Every list is fetched by four viewers (anonymous, a follower of the author, the author,
a brand), in English and in Chinese, first page and the page its `next` link (or "More"
link) leads to. What varies per request without meaning is masked: the CSRF token and the
time in signed URLs. Run it twice on the same code first: the dumps must already agree (reading a list changes no list).
Output goes under var/ (ignored by git): it is data, not source.
"""

import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import django

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|name="csrf-token" content=")[^"]+"')
_SIGNED = re.compile(r"(\?s=)[^\"&\s]+")  # a private original's URL signature: it holds the time


def _mask(text: str) -> str:
    return _SIGNED.sub(r"\1SIGNED", _CSRF.sub(r'\1CSRF"', text))


def _world():
    """The viewers and the objects whose lists are dumped, picked deterministically."""
    from django.db.models import Count

    from accounts.models import Follow, User
    from posts.models import Collection, Note, Place
    from shop.models import Product

    authors = (
        User.objects.filter(account_type=User.AccountType.PERSONAL, notes__status=Note.Status.PUBLISHED)
        .annotate(n=Count("notes"))
        .order_by("-n", "id")
    )
    author = authors.first()
    follower = User.objects.get(pk=Follow.objects.filter(followee=author).order_by("id").values("follower")[:1])
    brand = User.objects.filter(account_type=User.AccountType.BRAND).order_by("id").first()
    # Give the author something in every list (reproducibly: these writes repeat as no-ops).
    User.objects.filter(pk=author.pk).update(likes_public=True)
    if not Note.objects.filter(author=author, status=Note.Status.DRAFT).exists():
        Note.objects.create(author=author, title="Parity draft", body="draft #parity", status=Note.Status.DRAFT)
    # Far enough back that "Saved <when>" prints a date, not minutes that tick between two dumps.
    Note.objects.filter(author=author, status=Note.Status.DRAFT).update(updated_at=datetime(2025, 1, 1, tzinfo=UTC))
    board = Collection.objects.filter(is_private=False, saves__isnull=False).order_by("id").first()
    place = Place.objects.filter(notes__isnull=False).order_by("id").first()
    product = Product.objects.filter(notes__isnull=False).order_by("-notes_count", "id").first()
    tag = author.notes.filter(tags__isnull=False).values_list("tags__name", flat=True).order_by("tags__name").first()
    notes = list(Note.objects.public().order_by("id").values_list("pk", flat=True)[:3])
    return {
        "viewers": {"anonymous": None, "follower": follower, "author": author, "brand": brand},
        "author": author,
        "brand": brand,
        "board": board,
        "place": place,
        "product": product,
        "tag": tag,
        "notes": notes,
        "city": "shanghai",
    }


def _targets(world) -> list[tuple[str, str, bool]]:
    """(name, path, is_api) of every list."""
    author, brand = world["author"].username, world["brand"].username
    board, place, product, tag = world["board"].pk, world["place"].pk, world["product"].pk, world["tag"]
    api = [
        ("explore", "/api/v1/feeds/explore/"),
        ("follow", "/api/v1/feeds/follow/"),
        ("nearby", "/api/v1/feeds/nearby/?lat=31.23&lng=121.47"),
        ("search", "/api/v1/search/?q=%E9%9D%A2%E9%9C%9C"),
        ("search-en", "/api/v1/search/?q=coffee"),
        ("tag-hot", f"/api/v1/tags/{tag}/notes/"),
        ("tag-new", f"/api/v1/tags/{tag}/notes/?sort=new"),
        ("place", f"/api/v1/places/{place}/notes/"),
        ("user-notes", f"/api/v1/users/{author}/notes/"),
        ("user-drafts", f"/api/v1/users/{author}/notes/?status=draft"),
        ("my-drafts", "/api/v1/me/drafts/"),
        ("user-likes", f"/api/v1/users/{author}/likes/"),
        ("board", f"/api/v1/collections/{board}/notes/"),
        ("product-notes", f"/api/v1/products/{product}/notes/"),
        ("brand-notes", f"/api/v1/users/{brand}/notes/"),
        *[(f"note-{pk}", f"/api/v1/notes/{pk}/") for pk in world["notes"]],
    ]
    pages = [
        ("page-explore", "/"),
        ("page-follow", "/follow/"),
        ("page-nearby", f"/nearby/?city={world['city']}"),
        ("page-search", "/search/?q=%E9%9D%A2%E9%9C%9C"),
        ("page-tag", f"/tags/{tag}/"),
        ("page-tag-new", f"/tags/{tag}/?sort=new"),
        ("page-place", f"/places/{place}/"),
        ("page-board", f"/collections/{board}/"),
        ("page-profile", f"/u/{author}/"),
        ("page-profile-likes", f"/u/{author}/?tab=likes"),
        ("page-profile-drafts", f"/u/{author}/?tab=drafts"),
        ("page-store", f"/shop/brands/{brand}/"),
        ("page-product", f"/shop/products/{product}/"),
        *[(f"page-note-{pk}", f"/notes/{pk}/") for pk in world["notes"]],
    ]
    return [(name, path, True) for name, path in api] + [(name, path, False) for name, path in pages]


_MORE = re.compile(r'class="btn btn-ghost" href="(\?[^"]+)"')
_FEED_NEXT = re.compile(r'class="feed-next" data-cursor="([^"]+)"')


def _next_path(path: str, response, is_api: bool) -> str | None:
    """The second page's path: the API's `next`, a grid's "More" link, a feed page's cursor."""
    body = response.content.decode()
    if is_api:
        try:
            data = json.loads(body)
        except ValueError:
            return None
        nxt = data.get("next") if isinstance(data, dict) else None
        if not nxt:
            return None
        parts = urlsplit(nxt)
        return f"{parts.path}?{parts.query}"
    base = path.split("?")[0]
    if match := _FEED_NEXT.search(body):
        return f"{path}{'&' if '?' in path else '?'}cursor={match.group(1)}&partial=1"
    if match := _MORE.search(body):
        return base + match.group(1).replace("&amp;", "&")
    return None


def dump(out: Path) -> int:
    from django.test import Client

    world = _world()
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for viewer_name, viewer in world["viewers"].items():
        for language in ("en", "zh-hans"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST="127.0.0.1")
            if viewer is not None:
                client.force_login(viewer)
            for name, path, is_api in _targets(world):
                for page in (1, 2):
                    response = client.get(path)
                    text = f"{response.status_code}\n{_mask(response.content.decode())}"
                    (out / f"{name}.{viewer_name}.{language}.p{page}.txt").write_text(text)
                    written += 1
                    path = _next_path(path, response, is_api)
                    if path is None:
                        break
    return written


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbook.settings")
    django.setup()
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/parity/dump")
    print(f"parity_dump: {dump(out)} responses in {out}")


if __name__ == "__main__":
    main()
