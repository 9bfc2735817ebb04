"""Account reads: profiles, follower lists and "followed by me" for a page at once."""

from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import ApiToken, Block, Follow, User, password_stamp
from posts import selectors as post_selectors
from posts.cards import note_cards
from redbook import numbers
from redbook.prepared import Arg, InList, PreparedQuery

PROFILE_NOTES = 60  # the first screenfuls; the API pages further
MENTION_SUGGESTIONS = 8
MENTION_PREFIX_MAX = 30


def user_get_visible(*, username: str, viewer) -> User:
    """The profile `viewer` may see, else 404 (unknown, suspended, or a block either way)."""
    return get_object_or_404(User.objects.visible_to(viewer), username=username)


def user_get_active(*, username: str) -> User:
    """An account in good standing, blocks ignored: the target of block/unblock."""
    return get_object_or_404(User.objects.active(), username=username)


_FOLLOWED = PreparedQuery(
    lambda: Follow.objects.filter(InList(F("followee_id"), Arg("users")), follower_id=Arg("viewer")).values_list(
        "followee_id"
    )
)


def followed_ids(*, viewer, user_ids: Iterable[int]) -> set[int]:
    """Which of `user_ids` the viewer follows, in one query (empty for anonymous)."""
    user_ids = list(user_ids)
    if viewer is None or not viewer.is_authenticated or not user_ids:
        return set()
    return {user_id for (user_id,) in _FOLLOWED.rows(viewer=viewer.pk, users=user_ids)}


def _visible_edges(edges: QuerySet, *, side: str, viewer) -> QuerySet:
    """Follow edges whose `side` user the viewer may see, newest first, user joined in."""
    edges = edges.filter(**{f"{side}__is_active": True, f"{side}__is_suspended": False})
    if viewer is not None and viewer.is_authenticated:
        edges = edges.exclude(Exists(Block.objects.involving(viewer, OuterRef(side))))
    return edges.select_related(side).order_by("-id")


def follower_edges(*, user: User, viewer) -> QuerySet:
    """Follow rows pointing at `user`; the list shows each row's `follower`."""
    return _visible_edges(Follow.objects.filter(followee=user), side="follower", viewer=viewer)


def following_edges(*, user: User, viewer) -> QuerySet:
    """Follow rows from `user`; the list shows each row's `followee`."""
    return _visible_edges(Follow.objects.filter(follower=user), side="followee", viewer=viewer)


def _cards(notes: QuerySet, viewer, *, drafts: bool = False) -> list:
    """The first cards of a profile tab's note list (posts.cards.NoteCard)."""
    return note_cards(notes.values_list("pk", flat=True)[:PROFILE_NOTES], viewer, drafts=drafts)


def profile_notes(*, profile: User, viewer) -> list:
    """The note grid of a profile's "Notes" tab: cards ready for `posts/_note_card.html`."""
    return _cards(post_selectors.user_notes(author=profile, viewer=viewer), viewer)


def profile_drafts(*, profile: User, viewer) -> list:
    """The "Drafts" tab, shown to the profile's owner alone (empty for anyone else)."""
    return _cards(post_selectors.user_notes(author=profile, viewer=viewer, drafts=True), viewer, drafts=True)


def profile_collections(*, profile: User, viewer) -> list:
    """The "Collections" tab: the boards the viewer may see (private ones to their owner only)."""
    return list(post_selectors.user_collections(owner=profile, viewer=viewer))


def profile_likes(*, profile: User, viewer) -> list | None:
    """The "Likes" tab's cards, or None when the profile keeps its likes private."""
    if not post_selectors.likes_visible(owner=profile, viewer=viewer):
        return None
    return _cards(post_selectors.user_liked_notes(owner=profile, viewer=viewer), viewer)


def blocked_users(*, viewer: User) -> QuerySet:
    """Accounts the viewer blocked, newest block first (for unblocking)."""
    return User.objects.filter(blocks_received__blocker=viewer).order_by("-blocks_received__created_at")


def edges_page(edges: QuerySet, *, before: str | None, size: int) -> tuple[list, int | None]:
    """A keyset page of Follow edges (ordered newest first) and the next `before` id."""
    if before and (before_id := numbers.parse_id(before)) is not None:
        edges = edges.filter(id__lt=before_id)
    page = list(edges[: size + 1])
    return page[:size], page[size - 1].id if len(page) > size else None


def tokens_of(*, user) -> list:
    """The account's live API tokens, newest first (those of an older password are dead)."""
    stamp = password_stamp(user)
    return [
        token
        for token in ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
        if token.password_stamp == stamp
    ]


def mention_candidates(*, viewer: User, prefix: str, limit: int = MENTION_SUGGESTIONS) -> list[User]:
    """Accounts an @-mention being typed may complete to: username or display name starting
    with `prefix`, accounts the viewer follows first, then the most followed. Never the
    viewer, nor anyone blocked either way (`visible_to`)."""
    # Control characters (NUL) match no name, and Postgres refuses them.
    prefix = "".join(char for char in prefix if char.isprintable()).strip().lstrip("@")[:MENTION_PREFIX_MAX]
    if not prefix:
        return []
    followed = Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
    users = (
        User.objects.visible_to(viewer)
        .exclude(pk=viewer.pk)
        .filter(Q(username__istartswith=prefix) | Q(display_name__istartswith=prefix))
        .annotate(followed=followed)
        .order_by("-followed", "-followers_count", "username")
    )
    return list(users[:limit])
