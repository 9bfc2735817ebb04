"""No timing oracle at login: every outcome costs exactly one password hash."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from rest_framework.test import APIClient

from accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts the hashes computed: encode runs for make_password and for verify."""

    algorithm = "counting_md5"
    hashes = 0

    def encode(self, password, salt):
        CountingHasher.hashes += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_login_timing.CountingHasher"]
    CountingHasher.hashes = 0
    return CountingHasher


@pytest.fixture
def accounts(counting):
    people = {
        "active": UserFactory(username="active"),
        "suspended": UserFactory(username="suspended", is_suspended=True),
        "deactivated": UserFactory(username="deactivated", is_active=False),
        "no_password": UserFactory(username="no_password"),
    }
    people["no_password"].set_unusable_password()
    people["no_password"].save()
    counting.hashes = 0
    return people


def _api_login(username, password):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password})


def _page_login(username, password):
    return Client().post("/accounts/login/", {"username": username, "password": password})


def _admin_login(username, password):
    return Client().post("/admin/login/", {"username": username, "password": password})


@pytest.mark.parametrize("login", [_api_login, _page_login, _admin_login])
@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("active", PASSWORD),
        ("active", "wrong"),
        ("suspended", PASSWORD),
        ("suspended", "wrong"),
        ("deactivated", PASSWORD),
        ("no_password", "anything"),
        ("nobody", "anything"),
    ],
)
def test_every_login_outcome_costs_one_password_hash(accounts, counting, login, username, password):
    login(username, password)

    assert counting.hashes == 1


def test_a_suspended_account_is_told_so_only_with_its_password(accounts):
    assert _api_login("suspended", PASSWORD).json()["code"] == "suspended"
    assert _api_login("suspended", "wrong").json()["code"] == "invalid_credentials"
    assert _api_login("nobody", "wrong").json()["code"] == "invalid_credentials"


def test_user_login_returns_a_user_ready_for_a_session(accounts, rf):
    user = services.user_login(request=rf.post("/"), username="active", password=PASSWORD)

    assert user.pk == accounts["active"].pk and user.backend == "accounts.authentication.AccountBackend"
