"""The profile page's tabs, filled by the apps that own what they show.

accounts is below posts, so it cannot name posts' lists: posts registers its tabs (notes,
boards, likes, drafts) from `PostsConfig.ready()` (docs/layers.md). A tab is one entry here
and one template, `accounts/_profile_tab_<slug>.html`, given the profile and `items`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ProfileTab:
    slug: str
    label: str | Promise
    fill: Callable[..., Any]  # fill(profile=, viewer=) -> the tab's items
    owner_only: bool = False  # shown to the profile's owner alone


TABS: list[ProfileTab] = []  # in the order registered


def register(tab: ProfileTab) -> None:
    """Add a tab (once per slug: a second registration of a slug replaces the first)."""
    TABS[:] = [existing for existing in TABS if existing.slug != tab.slug] + [tab]


def visible_tabs(*, is_me: bool) -> list[ProfileTab]:
    return [tab for tab in TABS if is_me or not tab.owner_only]
