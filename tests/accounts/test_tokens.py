"""API tokens rotate: one per login, listed and revoked by their owner, ended by any password change."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, password_stamp
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"
NEW_PASSWORD = "Brand-New-Kettle-77"


def _login(user, *, agent="RedBook iOS/3.2") -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, HTTP_USER_AGENT=agent
    )
    assert response.status_code == 200
    return response.json()["token"]


def _as(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}")


def _works(key: str) -> bool:
    return _as(key).get("/api/v1/me/").status_code == 200


def _signed_in(client: Client) -> bool:
    return client.get("/api/v1/me/").status_code == 200


# --- One token per login ------------------------------------------------------------------


def test_each_login_issues_a_new_token_and_stores_only_its_digest(user):
    phone, laptop = _login(user), _login(user, agent="Firefox")

    assert phone != laptop and _works(phone) and _works(laptop)
    stored = set(ApiToken.objects.filter(user=user).values_list("digest", flat=True))
    assert stored == {ApiToken.digest_of(phone), ApiToken.digest_of(laptop)}
    assert not ApiToken.objects.filter(digest__in=[phone, laptop]).exists()


def test_logout_revokes_only_the_token_it_used(user):
    phone, laptop = _login(user), _login(user)

    assert _as(phone).post("/api/v1/auth/logout/").status_code == 204

    assert not _works(phone) and _works(laptop)


def test_a_login_beyond_the_cap_ends_the_oldest_token(user):
    keys = [_login(user) for _ in range(services.MAX_TOKENS_PER_USER + 1)]

    assert ApiToken.objects.filter(user=user).count() == services.MAX_TOKENS_PER_USER
    assert not _works(keys[0]) and _works(keys[1]) and _works(keys[-1])


# --- me/tokens ------------------------------------------------------------------------------


def test_owner_lists_tokens_without_their_keys(user, django_assert_max_num_queries):
    phone, _laptop = _login(user, agent="RedBook iOS/3.2"), _login(user, agent="Firefox")

    with django_assert_max_num_queries(4):
        response = _as(phone).get("/api/v1/me/tokens/")

    body = response.json()
    assert response.status_code == 200 and body["next"] is None
    assert [(t["name"], t["current"]) for t in body["results"]] == [("Firefox", False), ("RedBook iOS/3.2", True)]
    assert body["results"][1]["key_prefix"] == phone[:8]
    assert set(body["results"][0]) == {"id", "name", "key_prefix", "created_at", "last_used_at", "current"}
    assert phone not in response.content.decode()


def test_owner_revokes_a_token_and_nobody_else_can(user, other_user):
    phone, laptop = _login(user), _login(user)
    laptop_id = ApiToken.objects.get(digest=ApiToken.digest_of(laptop)).pk

    assert client_for(other_user).delete(f"/api/v1/me/tokens/{laptop_id}/").status_code == 404
    assert _works(laptop)
    assert _as(phone).delete(f"/api/v1/me/tokens/{laptop_id}/").status_code == 204
    assert not _works(laptop) and _works(phone)
    assert _as(phone).delete(f"/api/v1/me/tokens/{laptop_id}/").status_code == 404


@pytest.mark.parametrize("token_id", ["0", "99999999999999999999999", "-1", "abc"])
def test_revoking_an_odd_token_id_is_a_4xx(user, token_id):
    response = client_for(user).delete(f"/api/v1/me/tokens/{token_id}/")

    assert response.status_code == 404 and response.json()["detail"]


def test_token_endpoints_need_a_login(anon_client):
    assert anon_client.get("/api/v1/me/tokens/").status_code == 401
    assert anon_client.delete("/api/v1/me/tokens/1/").status_code == 401


# --- Password changes end every token and every other session --------------------------


def test_password_change_by_api_revokes_every_token(user):
    phone, laptop = _login(user), _login(user)

    response = _as(phone).post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 204
    assert not _works(phone) and not _works(laptop)
    assert not ApiToken.objects.filter(user=user).exists()
    assert (
        APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": NEW_PASSWORD}).json()["token"]
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_password": "wrong", "new_password": NEW_PASSWORD}, "current_password"),
        ({"current_password": PASSWORD, "new_password": "123"}, "new_password"),
        ({"current_password": PASSWORD}, "new_password"),
    ],
)
def test_a_refused_password_change_changes_nothing(user, body, field):
    key = _login(user)

    response = _as(key).post("/api/v1/me/password/", body)

    assert response.status_code == 400 and field in response.json()
    assert _works(key)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_page_keeps_this_browser_and_ends_the_others(user):
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    key = _login(user)

    response = here.post(
        "/accounts/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert not _works(key)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"current_password": "nope", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
            "current_password",
        ),
        ({"current_password": PASSWORD, "new_password": "1234", "new_password_again": "1234"}, "new_password"),
        (
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": "other"},
            "new_password_again",
        ),
    ],
)
def test_password_change_page_shows_errors_and_changes_nothing(user, body, field):
    browser = Client()
    browser.force_login(user)

    response = browser.post("/accounts/password/", body)

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {field}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert Client().get("/accounts/password/").status_code == 302  # a login first


def test_password_reset_ends_every_token_and_session(user):
    browser = Client()
    browser.force_login(user)
    key = _login(user)
    Client().post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    stranger = Client()
    form_url = stranger.get(link).url  # Django moves the token out of the URL, then shows the form

    response = stranger.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert not _works(key) and not _signed_in(browser)
    assert _as(_login_with(user, NEW_PASSWORD)).get("/api/v1/me/").status_code == 200


def _login_with(user, password) -> str:
    return APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": password}).json()["token"]


def test_a_password_set_by_any_other_path_ends_the_tokens_too(user):
    """Admin forms and `manage.py changepassword` call set_password: tokens are bound to the password."""
    key = _login(user)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert not _works(key)
    assert services.token_issue(user=user)[0].password_stamp == password_stamp(user)
    assert not ApiToken.objects.filter(digest=ApiToken.digest_of(key)).exists()  # swept at the next login


# --- Tokens of DRF's authtoken carry over -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_authtoken_keys_over_and_clears_them():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0004_api_tokens_from_authtoken")
    owner = UserFactory()
    legacy_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id bigint)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [legacy_key, timezone.now(), owner.pk])
    try:
        with connection.schema_editor() as editor:
            migration.copy_legacy_tokens(apps, editor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM authtoken_token")
            left = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")

    assert left == 0
    assert _as(legacy_key).get("/api/v1/me/").json()["username"] == owner.username
    assert ApiToken.objects.get(user=owner).prefix == legacy_key[:8]


# --- Guessing the current password is limited like a login --------------------------------


def _api_change(user, n):
    return client_for(user).post("/api/v1/me/password/", {"current_password": f"guess-{n}", "new_password": "x"})


def _page_change(user, n):
    browser = Client()
    browser.force_login(user)
    return browser.post("/accounts/password/", {"current_password": f"guess-{n}", "new_password": "x"})


def _admin_change(user, n):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    browser = Client()
    browser.force_login(user)
    return browser.post(
        "/admin/password_change/",
        {"old_password": f"guess-{n}", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@pytest.mark.parametrize("change", [_api_change, _page_change, _admin_change])
def test_password_change_guesses_are_throttled_per_account(user, other_user, change, day_long_login_window):
    statuses = [change(user, n).status_code for n in range(7)]

    assert statuses[0] in (200, 400) and statuses[-1] == 429
    assert change(other_user, 0).status_code != 429  # another account is not held up


def test_staff_see_and_revoke_tokens_in_the_admin_without_keys(user):
    key = _login(user)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    token = ApiToken.objects.get(user=user)

    listing = staff.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200 and key[:8] in listing.content.decode() and key not in listing.content.decode()
    staff.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert not _works(key)


def test_last_used_is_written_at_most_every_few_minutes(user):
    key = _login(user)
    token = ApiToken.objects.get(user=user)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=an_hour_ago)

    assert _works(key)
    refreshed = ApiToken.objects.get(pk=token.pk).last_used_at
    assert refreshed > an_hour_ago
    assert _works(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == refreshed  # no write per request
