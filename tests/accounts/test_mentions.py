"""GET mentions/?q=: the accounts an @-mention being typed may complete to."""

import pytest

from accounts import services
from accounts.models import Block, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _names(client, q: str) -> list[str]:
    response = client.get("/api/v1/mentions/", {"q": q})
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return [user["username"] for user in response.json()["results"]]


def test_prefix_of_username_or_display_name_followed_first(api_client, user):
    # Display names set: the factory's random names may start with "Lin" themselves.
    UserFactory(username="linda", display_name="Linda", followers_count=50)
    followed = UserFactory(username="lin_w", display_name="W")
    UserFactory(username="mei", display_name="Lindsey")
    UserFactory(username="olin", display_name="Olin")  # "lin" inside the name, not at its start
    services.follow_create(follower=user, followee=followed)
    assert _names(api_client, "lin") == ["lin_w", "linda", "mei"]
    assert _names(api_client, "@LIN")[:1] == ["lin_w"]


def test_blocks_either_way_the_viewer_and_suspended_accounts_are_left_out(api_client, user):
    blocked, blocker = UserFactory(username="lina"), UserFactory(username="linb")
    UserFactory(username="linc", is_suspended=True)
    Block.objects.create(blocker=user, blocked=blocked)
    Block.objects.create(blocker=blocker, blocked=user)
    User.objects.filter(pk=user.pk).update(username="linme")
    assert _names(api_client, "lin") == []


@pytest.mark.parametrize("q", ["", "@", "   ", "li\x00n", "x" * 500])
def test_empty_or_odd_input_finds_nothing_without_error(api_client, q):
    UserFactory(username="lin")
    assert _names(api_client, q) in ([], ["lin"])


def test_at_most_eight_in_bounded_queries(api_client, django_assert_max_num_queries):
    for i in range(12):
        UserFactory(username=f"fan{i:02d}")
    with django_assert_max_num_queries(4):
        assert len(_names(api_client, "fan")) == 8


def test_needs_a_sign_in(anon_client):
    response = anon_client.get("/api/v1/mentions/", {"q": "lin"})
    assert response.status_code == 401 and response.json()["detail"]
