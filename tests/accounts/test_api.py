"""The Accounts API of shared/API.md: paths, status codes, fields."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts import services
from accounts.api import UserSerializer
from accounts.authentication import AccountBackend
from accounts.models import ApiToken, Block, Follow, User
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db

USER_FIELDS = {
    "username",
    "display_name",
    "bio",
    "avatar_url",
    "is_brand",
    "is_verified",
    "followers_count",
    "following_count",
    "notes_count",
    "followed_by_me",
}
GOOD_PASSWORD = "correct-horse-9"


# --- Register ---------------------------------------------------------------------------


def test_register_creates_user_and_returns_it(anon_client):
    response = anon_client.post(
        "/api/v1/auth/register/",
        {"username": "lily", "password": "Sunny-Day-42", "email": "lily@example.com", "display_name": "Lily"},
        format="json",
    )
    assert response.status_code == 201
    assert set(response.data) >= USER_FIELDS
    assert response.data["username"] == "lily"
    assert response.data["display_name"] == "Lily"
    assert response.data["is_brand"] is False
    assert "password" not in response.data
    user = User.objects.get(username="lily")
    assert user.check_password("Sunny-Day-42")


def test_register_brand_account(anon_client):
    response = anon_client.post(
        "/api/v1/auth/register/",
        {"username": "glowco", "password": "Sunny-Day-42", "account_type": "brand"},
        format="json",
    )
    assert response.status_code == 201
    assert response.data["is_brand"] is True
    assert response.data["is_verified"] is False  # staff grant the badge


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": "Sunny-Day-42"}, "username"),
        ({"username": "lily"}, "password"),
        ({"username": "lily", "password": "short"}, "password"),
        ({"username": "lily", "password": "password"}, "password"),
        ({"username": "has space", "password": "Sunny-Day-42"}, "username"),
        ({"username": "lily", "password": "Sunny-Day-42", "email": "not-an-email"}, "email"),
        ({"username": "lily", "password": "Sunny-Day-42", "account_type": "admin"}, "account_type"),
        ({"username": "x" * 151, "password": "Sunny-Day-42"}, "username"),
    ],
)
def test_register_bad_input_is_400_and_saves_nothing(anon_client, payload, field):
    response = anon_client.post("/api/v1/auth/register/", payload, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not User.objects.exists()


def test_register_duplicate_username_is_409_case_insensitive(anon_client, user):
    response = anon_client.post(
        "/api/v1/auth/register/", {"username": user.username.upper(), "password": "Sunny-Day-42"}, format="json"
    )
    assert response.status_code == 409
    assert response.data["code"] == "username_taken"
    assert User.objects.count() == 1


# --- Token and logout ---------------------------------------------------------------------


def test_token_for_right_password(anon_client, user):
    response = anon_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert ApiToken.objects.get(user=user).digest == ApiToken.digest_of(response.data["token"])
    me = APIClient(HTTP_AUTHORIZATION=f"Token {response.data['token']}").get("/api/v1/me/")
    assert me.status_code == 200
    assert me.data["username"] == user.username


def test_token_wrong_password_is_400_with_detail(anon_client, user):
    response = anon_client.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_token_missing_fields_is_400(anon_client):
    response = anon_client.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert {"username", "password"} <= set(response.data)


def test_logout_revokes_token(user):
    client = client_for(user)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert not ApiToken.objects.filter(user=user).exists()
    assert client.get("/api/v1/me/").status_code == 401


def test_logout_needs_auth(anon_client):
    assert anon_client.post("/api/v1/auth/logout/").status_code == 401


def test_suspended_user_cannot_get_token_and_old_token_stops(user):
    client = client_for(user)
    user.is_suspended = True
    user.save(update_fields=["is_suspended"])
    assert client.get("/api/v1/me/").status_code == 401
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert response.data["code"] == "suspended"


def test_suspended_user_session_ends(client, user):
    client.force_login(user)
    assert client.get("/api/v1/me/").status_code == 200
    services.user_suspend(user=user)
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.patch("/api/v1/me/", {"bio": "x"}, content_type="application/json").status_code in (401, 403)


def test_a_session_loads_its_user_and_nothing_else(user):
    """The session backend's compiled user query: the account, or no one for a stale or
    unusable id (never an error)."""
    backend = AccountBackend()
    assert backend.get_user(str(user.pk)) == user and backend.get_user(user.pk).email == user.email
    assert backend.get_user("not-a-number") is None and backend.get_user("987654321") is None
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["username"] == user.username


# --- Me -----------------------------------------------------------------------------------


def test_me_get_shows_private_fields(api_client, user):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert set(response.data) >= USER_FIELDS
    assert response.data["email"] == user.email


def test_me_needs_auth(anon_client):
    assert anon_client.get("/api/v1/me/").status_code == 401
    assert anon_client.patch("/api/v1/me/", {"bio": "hi"}, format="json").status_code == 401


def test_me_patch_text_fields(api_client, user):
    response = api_client.patch(
        "/api/v1/me/", {"display_name": " Mei ", "bio": "Skincare nerd", "location": "Shanghai"}, format="json"
    )
    assert response.status_code == 200
    assert response.data["display_name"] == "Mei"
    assert response.data["bio"] == "Skincare nerd"
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.location) == ("Mei", "Skincare nerd", "Shanghai")


def test_me_patch_too_long_is_400_and_saves_nothing(api_client, user):
    before = user.display_name
    response = api_client.patch("/api/v1/me/", {"display_name": "ok", "bio": "x" * 301}, format="json")
    assert response.status_code == 400
    assert "bio" in response.data
    user.refresh_from_db()
    assert user.display_name == before


def test_me_patch_avatar_is_resized_oriented_and_stripped(api_client, user, jpeg):
    # Orientation 6 = rotate 90°: a 600x300 landscape file is a 300x600 portrait photo.
    response = api_client.patch("/api/v1/me/", {"avatar": jpeg(size=(1200, 600), orientation=6, gps=True)})
    assert response.status_code == 200, response.data
    assert response.data["avatar_url"].startswith("http://testserver/media/")
    user.refresh_from_db()
    with Image.open(user.avatar.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (200, 400)
        assert not stored.getexif()


def test_me_patch_new_avatar_deletes_old_file(api_client, user, jpeg, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.patch("/api/v1/me/", {"avatar": jpeg()})
    user.refresh_from_db()
    first = user.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        api_client.patch("/api/v1/me/", {"avatar": jpeg()})
    user.refresh_from_db()
    assert user.avatar.path != first
    assert not user.avatar.storage.exists(first)


@pytest.mark.parametrize(
    ("upload", "status"),
    [
        (SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg"), 415),
        (SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"), 415),
    ],
)
def test_me_patch_bad_avatar_is_4xx_and_saves_nothing(api_client, user, upload, status):
    response = api_client.patch("/api/v1/me/", {"avatar": upload, "bio": "new bio"})
    assert response.status_code == status
    assert response.data["detail"]
    user.refresh_from_db()
    assert not user.avatar
    assert user.bio != "new bio"


# --- Users ---------------------------------------------------------------------------------


def test_user_detail_public_fields(anon_client, user):
    response = anon_client.get(f"/api/v1/users/{user.username}/")
    assert response.status_code == 200
    assert set(response.data) == USER_FIELDS
    assert response.data["followed_by_me"] is False
    assert "email" not in response.data


def test_user_detail_404_for_unknown_suspended_and_blocking(anon_client, user, other_user):
    assert anon_client.get("/api/v1/users/nobody/").status_code == 404
    suspended = UserFactory(is_suspended=True)
    assert anon_client.get(f"/api/v1/users/{suspended.username}/").status_code == 404
    services.block_create(blocker=other_user, blocked=user)
    assert client_for(user).get(f"/api/v1/users/{other_user.username}/").status_code == 404
    assert client_for(other_user).get(f"/api/v1/users/{user.username}/").status_code == 404


# --- Follow ----------------------------------------------------------------------------------


def test_follow_is_idempotent_201_and_counts(api_client, user, other_user):
    url = f"/api/v1/users/{other_user.username}/follow/"
    first = api_client.post(url)
    second = api_client.post(url)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.data["followed_by_me"] is True
    assert first.data["followers_count"] == 1
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    other_user.refresh_from_db()
    user.refresh_from_db()
    assert (other_user.followers_count, user.following_count) == (1, 1)
    assert api_client.get(f"/api/v1/users/{other_user.username}/").data["followed_by_me"] is True


def test_unfollow_is_idempotent_204_and_counts(api_client, user, other_user):
    services.follow_create(follower=user, followee=other_user)
    url = f"/api/v1/users/{other_user.username}/follow/"
    assert api_client.delete(url).status_code == 204
    assert api_client.delete(url).status_code == 204
    other_user.refresh_from_db()
    user.refresh_from_db()
    assert (other_user.followers_count, user.following_count) == (0, 0)


def test_follow_self_is_400(api_client, user):
    response = api_client.post(f"/api/v1/users/{user.username}/follow/")
    assert response.status_code == 400
    assert response.data["code"] == "self_follow"
    assert not Follow.objects.exists()


def test_follow_needs_auth(anon_client, user):
    assert anon_client.post(f"/api/v1/users/{user.username}/follow/").status_code == 401
    assert anon_client.delete(f"/api/v1/users/{user.username}/follow/").status_code == 401


def test_follow_unknown_or_suspended_is_404(api_client):
    assert api_client.post("/api/v1/users/nobody/follow/").status_code == 404
    suspended = UserFactory(is_suspended=True)
    assert api_client.post(f"/api/v1/users/{suspended.username}/follow/").status_code == 404


def test_follow_blocked_either_way_is_403(api_client, user, other_user):
    services.block_create(blocker=other_user, blocked=user)
    response = api_client.post(f"/api/v1/users/{other_user.username}/follow/")
    assert response.status_code == 403
    assert client_for(other_user).post(f"/api/v1/users/{user.username}/follow/").status_code == 403
    assert not Follow.objects.exists()


# --- Followers / following --------------------------------------------------------------------


def test_followers_and_following_lists(anon_client, user, other_user, brand):
    services.follow_create(follower=other_user, followee=user)
    services.follow_create(follower=brand, followee=user)
    services.follow_create(follower=user, followee=brand)
    followers = anon_client.get(f"/api/v1/users/{user.username}/followers/")
    assert followers.status_code == 200
    assert [u["username"] for u in followers.data["results"]] == [brand.username, other_user.username]
    assert set(followers.data["results"][0]) == USER_FIELDS
    assert followers.data["next"] is None
    following = anon_client.get(f"/api/v1/users/{user.username}/following/")
    assert [u["username"] for u in following.data["results"]] == [brand.username]


def test_followers_list_marks_followed_by_me_and_pages(user, other_user):
    fans = UserFactory.create_batch(5)
    for fan in fans:
        services.follow_create(follower=fan, followee=other_user)
    services.follow_create(follower=user, followee=fans[0])
    client = client_for(user)
    page = client.get(f"/api/v1/users/{other_user.username}/followers/?page_size=3")
    assert [u["username"] for u in page.data["results"]] == [f.username for f in fans[::-1][:3]]
    assert page.data["next"]
    rest = client.get(page.data["next"])
    assert [u["username"] for u in rest.data["results"]] == [fans[1].username, fans[0].username]
    assert [u["followed_by_me"] for u in rest.data["results"]] == [False, True]


def test_followers_list_hides_suspended_and_blocked(user, other_user):
    suspended, blocked = UserFactory(), UserFactory()
    for fan in (suspended, blocked, user):
        services.follow_create(follower=fan, followee=other_user)
    services.user_suspend(user=suspended)
    viewer = UserFactory()
    services.block_create(blocker=viewer, blocked=blocked)
    response = client_for(viewer).get(f"/api/v1/users/{other_user.username}/followers/")
    assert [u["username"] for u in response.data["results"]] == [user.username]


def test_followers_of_hidden_user_is_404(api_client, user, other_user):
    services.block_create(blocker=other_user, blocked=user)
    assert api_client.get(f"/api/v1/users/{other_user.username}/followers/").status_code == 404
    assert api_client.get(f"/api/v1/users/{other_user.username}/following/").status_code == 404


@pytest.mark.parametrize("which", ["followers", "following"])
def test_follow_lists_have_bounded_queries(user, other_user, which, django_assert_max_num_queries):
    people = UserFactory.create_batch(12)
    for person in people:
        if which == "followers":
            services.follow_create(follower=person, followee=other_user)
        else:
            services.follow_create(follower=other_user, followee=person)
        services.follow_create(follower=user, followee=person)
    client = client_for(user)
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/v1/users/{other_user.username}/{which}/")
    assert len(response.data["results"]) == 12
    assert all(u["followed_by_me"] for u in response.data["results"])


# --- Block --------------------------------------------------------------------------------------


def test_block_201_removes_follows_both_ways(api_client, user, other_user):
    services.follow_create(follower=user, followee=other_user)
    services.follow_create(follower=other_user, followee=user)
    response = api_client.post(f"/api/v1/users/{other_user.username}/block/")
    assert response.status_code == 201
    assert api_client.post(f"/api/v1/users/{other_user.username}/block/").status_code == 201
    assert Block.objects.filter(blocker=user, blocked=other_user).count() == 1
    assert not Follow.objects.exists()
    for person in (user, other_user):
        person.refresh_from_db()
        assert (person.followers_count, person.following_count) == (0, 0)


def test_unblock_204_and_visible_again(api_client, user, other_user):
    services.block_create(blocker=user, blocked=other_user)
    assert api_client.get(f"/api/v1/users/{other_user.username}/").status_code == 404
    assert api_client.delete(f"/api/v1/users/{other_user.username}/block/").status_code == 204
    assert api_client.delete(f"/api/v1/users/{other_user.username}/block/").status_code == 204
    assert not Block.objects.exists()
    assert api_client.get(f"/api/v1/users/{other_user.username}/").status_code == 200


def test_block_self_is_400_and_needs_auth(api_client, anon_client, user):
    assert api_client.post(f"/api/v1/users/{user.username}/block/").status_code == 400
    assert anon_client.post(f"/api/v1/users/{user.username}/block/").status_code == 401
    assert api_client.post("/api/v1/users/nobody/block/").status_code == 404
    assert not Block.objects.exists()


def test_brand_flag_in_user_shape(anon_client):
    brand = BrandFactory()
    data = anon_client.get(f"/api/v1/users/{brand.username}/").data
    assert (data["is_brand"], data["is_verified"]) == (True, True)


def test_user_card_is_the_serializer_fields_representation(rf, user, jpeg):
    """`UserSerializer` renders with `user_card`: the same dict DRF builds from the declared fields."""
    services.profile_update(user=user, avatar=jpeg(size=(300, 300)), bio="hi")
    brand = BrandFactory(is_verified=True)
    request = rf.get("/", HTTP_HOST="testserver")
    for person, followed in ((User.objects.get(pk=user.pk), {user.pk}), (brand, set())):
        serializer = UserSerializer(person, context={"request": request, "followed_ids": followed})
        assert serializer.data == serializers.ModelSerializer.to_representation(serializer, person)
        assert list(serializer.data) == UserSerializer.Meta.fields
    avatar_url = UserSerializer(user, context={"request": request, "followed_ids": set()}).data["avatar_url"]
    assert avatar_url.startswith("http://testserver/media/avatars/")
