"""Account pages: signup, login, logout, profile edit, profile and follower lists."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Follow, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_page_renders_labelled_form(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert 'name="account_type"' in html


def test_signup_creates_account_logs_in_and_goes_to_edit(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "mia", "password": "Sunny-Day-42", "display_name": "Mia", "account_type": "brand"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile-edit")
    user = User.objects.get(username="mia")
    assert user.is_brand
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    "data",
    [
        {"username": "mia", "password": "short", "account_type": "personal"},
        {"username": "bad name", "password": "Sunny-Day-42", "account_type": "personal"},
        {"username": "mia", "password": "Sunny-Day-42", "account_type": "staff"},
    ],
)
def test_signup_bad_input_shows_errors_keeps_input_saves_nothing(client, data):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert f'value="{data["username"]}"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_taken_username_shows_message(client, user):
    response = client.post(
        "/accounts/signup/", {"username": user.username, "password": "Sunny-Day-42", "account_type": "personal"}
    )
    assert response.status_code == 400
    assert "That username is taken." in response.content.decode()
    assert User.objects.count() == 1


def test_login_and_safe_next(client, user):
    response = client.post(
        "/accounts/login/?next=/u/someone/", {"username": user.username, "password": "correct-horse-9"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/u/someone/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_ignores_offsite_next(client, user):
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": user.username, "password": "correct-horse-9"}
    )
    assert response["Location"] == "/"


def test_login_wrong_password_400_then_throttled_429(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 400
    assert "Wrong username or password." in response.content.decode()
    for _ in range(4):
        client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    throttled = client.post("/accounts/login/", {"username": user.username, "password": "correct-horse-9"})
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_suspended_user_cannot_log_in_on_page(client):
    suspended = UserFactory(is_suspended=True)
    response = client.post("/accounts/login/", {"username": suspended.username, "password": "correct-horse-9"})
    assert response.status_code == 403
    assert "This account is suspended." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, user):
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_edit_requires_login(client):
    response = client.get("/accounts/profile/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_edit_saves_fields_and_avatar(client, user, jpeg):
    client.force_login(user)
    page = client.get("/accounts/profile/edit/")
    assert page.status_code == 200
    assert "Personal" in page.content.decode()  # account type is shown
    response = client.post(
        "/accounts/profile/edit/",
        {"display_name": "Lin", "bio": "Coffee & lipstick", "location": "Hangzhou", "avatar": jpeg()},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.location) == ("Lin", "Coffee & lipstick", "Hangzhou")
    assert user.avatar.name.endswith(".jpg")


def test_profile_edit_bad_avatar_shows_error_and_saves_nothing(client, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    before = user.display_name
    response = client.post(
        "/accounts/profile/edit/",
        {"display_name": "New", "avatar": SimpleUploadedFile("x.jpg", b"garbage", content_type="image/jpeg")},
    )
    assert response.status_code == 400
    assert "Unsupported image" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == before
    assert not user.avatar


def test_profile_page_shows_header_counts_and_escapes(client, user, other_user):
    user.bio = "<script>alert(1)</script>"
    user.is_verified = True
    user.save()
    services.follow_create(follower=other_user, followee=user)
    response = client.get(f"/u/{user.username}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert user.display_name in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert f'data-followers-count="{user.username}">1<' in html
    assert 'aria-label="Verified"' in html
    assert 'href="?tab=boards"' in html and 'href="?tab=likes"' in html


def test_profile_follow_button_state(client, user, other_user):
    client.force_login(user)
    html = client.get(f"/u/{other_user.username}/").content.decode()
    assert 'data-action="follow-toggle"' in html
    assert 'data-following="false"' in html
    services.follow_create(follower=user, followee=other_user)
    html = client.get(f"/u/{other_user.username}/").content.decode()
    assert 'data-following="true"' in html
    own = client.get(f"/u/{user.username}/").content.decode()
    assert 'data-action="follow-toggle"' not in own
    assert reverse("accounts:profile-edit") in own


def test_profile_404_for_unknown_suspended_and_blocked(client, user, other_user):
    assert client.get("/u/nobody/").status_code == 404
    assert client.get(f"/u/{UserFactory(is_suspended=True).username}/").status_code == 404
    services.block_create(blocker=other_user, blocked=user)
    client.force_login(user)
    assert client.get(f"/u/{other_user.username}/").status_code == 404
    assert client.get(f"/u/{other_user.username}/followers/").status_code == 404


def test_profile_page_bounded_queries(client, user, other_user, django_assert_max_num_queries):
    client.force_login(user)
    # The header's two badges (notifications, unread messages) are one query each.
    with django_assert_max_num_queries(9):
        response = client.get(f"/u/{other_user.username}/")
    assert response.status_code == 200


def test_follow_form_fallback(client, user, other_user):
    client.force_login(user)
    url = reverse("accounts:follow", args=[other_user.username])
    response = client.post(url, {"action": "follow", "next": f"/u/{other_user.username}/"})
    assert response.status_code == 302
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.exists()
    assert client.get(url).status_code == 405


def test_follow_form_needs_login(client, other_user):
    response = client.post(reverse("accounts:follow", args=[other_user.username]), {"action": "follow"})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_follow_form_self_follow_shows_message(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:follow", args=[user.username]), {"action": "follow"}, follow=True)
    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


def test_block_and_unblock_pages(client, user, other_user):
    client.force_login(user)
    client.post(reverse("accounts:block", args=[other_user.username]), {"action": "block"})
    assert client.get(f"/u/{other_user.username}/").status_code == 404
    edit = client.get("/accounts/profile/edit/").content.decode()
    assert f"@{other_user.username}" in edit
    client.post(reverse("accounts:block", args=[other_user.username]), {"action": "unblock"})
    assert client.get(f"/u/{other_user.username}/").status_code == 200


@pytest.mark.parametrize("which", ["followers", "following"])
def test_follow_list_pages_bounded_queries(client, user, other_user, which, django_assert_max_num_queries):
    people = UserFactory.create_batch(10)
    for person in people:
        pair = (person, other_user) if which == "followers" else (other_user, person)
        services.follow_create(follower=pair[0], followee=pair[1])
    services.follow_create(follower=user, followee=people[0])
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(f"/u/{other_user.username}/{which}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"@{person.username}" in html for person in people)
    assert html.count('data-following="true"') == 1


def test_follow_list_page_keyset_paging(client, other_user, settings):
    people = UserFactory.create_batch(32)
    for person in people:
        services.follow_create(follower=person, followee=other_user)
    first = client.get(f"/u/{other_user.username}/followers/").content.decode()
    assert f"@{people[-1].username}<" in first
    assert f"@{people[0].username}<" not in first
    before = Follow.objects.get(follower=people[2]).id
    second = client.get(f"/u/{other_user.username}/followers/?before={before}").content.decode()
    assert f"@{people[0].username}<" in second
