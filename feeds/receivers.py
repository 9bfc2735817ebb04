"""feeds' answers to what lower apps announce (connected in FeedsConfig.ready)."""

from feeds.services import explore_refresh_request


def refresh_explore_of_follower(sender, *, follower_id: int, **kwargs) -> None:
    explore_refresh_request(user_id=follower_id)  # after commit, debounced


def refresh_explore(sender, *, user_id: int, **kwargs) -> None:
    explore_refresh_request(user_id=user_id)  # their Explore reflects the like within a minute
