"""posts' tabs on the profile page (registered into accounts.profile_tabs by PostsConfig.ready)."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import User
from accounts.profile_tabs import ProfileTab
from posts import selectors
from posts.cards import note_cards

PROFILE_NOTES = 60  # the first screenfuls; the API pages further


def _cards(notes, viewer, *, drafts: bool = False) -> list:
    """The first cards of a profile tab's note list (posts.cards.NoteCard)."""
    return note_cards(notes.values_list("pk", flat=True)[:PROFILE_NOTES], viewer, drafts=drafts)


def profile_notes(*, profile: User, viewer) -> list:
    """The note grid of a profile's "Notes" tab: cards ready for `posts/_note_card.html`."""
    return _cards(selectors.user_notes(author=profile, viewer=viewer), viewer)


def profile_drafts(*, profile: User, viewer) -> list:
    """The "Drafts" tab, shown to the profile's owner alone (empty for anyone else)."""
    return _cards(selectors.user_notes(author=profile, viewer=viewer, drafts=True), viewer, drafts=True)


def profile_collections(*, profile: User, viewer) -> list:
    """The "Collections" tab: the boards the viewer may see (private ones to their owner only)."""
    return list(selectors.user_collections(owner=profile, viewer=viewer))


def profile_likes(*, profile: User, viewer) -> list | None:
    """The "Likes" tab's cards, or None when the profile keeps its likes private."""
    if not selectors.likes_visible(owner=profile, viewer=viewer):
        return None
    return _cards(selectors.user_liked_notes(owner=profile, viewer=viewer), viewer)


TABS = (
    ProfileTab("notes", gettext_lazy("Notes"), profile_notes),
    ProfileTab("boards", gettext_lazy("Boards"), profile_collections),
    ProfileTab("likes", pgettext_lazy("profile tab", "Likes"), profile_likes),
    ProfileTab("drafts", gettext_lazy("Drafts"), profile_drafts, owner_only=True),
)
