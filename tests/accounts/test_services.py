"""Follow/block invariants, concurrency, password hashing and login throttling."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import connection
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Follow, User
from redbook.exceptions import Forbidden, Invalid
from tests.conftest import requires_postgres
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _counts(user: User) -> tuple[int, int]:
    user.refresh_from_db(fields=["followers_count", "following_count"])
    return user.followers_count, user.following_count


@pytest.mark.django_db
def test_follow_create_returns_created_flag(user, other_user):
    _follow, created = services.follow_create(follower=user, followee=other_user)
    _again, created_again = services.follow_create(follower=user, followee=other_user)
    assert (created, created_again) == (True, False)
    assert _counts(other_user) == (1, 0)


@pytest.mark.django_db
def test_suspended_user_cannot_follow_or_block(user, other_user):
    user.is_suspended = True
    with pytest.raises(Forbidden):
        services.follow_create(follower=user, followee=other_user)
    with pytest.raises(Forbidden):
        services.block_create(blocker=user, blocked=other_user)
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_self_follow_rejected_by_service(user):
    with pytest.raises(Invalid):
        services.follow_create(follower=user, followee=user)


@pytest.mark.django_db
def test_block_fixes_counts_of_both(user, other_user):
    third = UserFactory()
    services.follow_create(follower=user, followee=other_user)
    services.follow_create(follower=other_user, followee=user)
    services.follow_create(follower=third, followee=user)
    services.block_create(blocker=user, blocked=other_user)
    assert _counts(user) == (1, 0)
    assert _counts(other_user) == (0, 0)
    with pytest.raises(Forbidden):
        services.follow_create(follower=other_user, followee=user)


def _run_in_threads(calls) -> list[Exception]:
    errors: list[Exception] = []
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_follow_counts_right_under_concurrency():
    star = UserFactory()
    fans = UserFactory.create_batch(8)
    calls = []
    for fan in fans:
        # Each fan follows twice at once, and the star follows back at the same time:
        # duplicates must be no-ops and opposite follows must not deadlock.
        calls += [
            lambda fan=fan: services.follow_create(follower=fan, followee=star),
            lambda fan=fan: services.follow_create(follower=fan, followee=star),
            lambda fan=fan: services.follow_create(follower=star, followee=fan),
        ]
    assert _run_in_threads(calls) == []
    assert Follow.objects.filter(followee=star).count() == 8
    assert _counts(star) == (8, 8)
    assert all(_counts(fan) == (1, 1) for fan in fans)

    calls = [lambda fan=fan: services.follow_delete(follower=fan, followee=star) for fan in fans for _ in range(2)]
    calls += [lambda fan=fan: services.block_create(blocker=fan, blocked=star) for fan in fans[:4]]
    assert _run_in_threads(calls) == []
    assert _counts(star) == (0, 4)
    assert sorted(_counts(fan) for fan in fans) == [(0, 0)] * 4 + [(1, 0)] * 4


def test_production_settings_hash_with_argon2():
    """Argon2 is the hasher when the app runs with its own settings (not the fast test override)."""
    script = (
        "import django; django.setup();"
        "from django.contrib.auth.hashers import get_hasher, make_password;"
        "print(get_hasher().algorithm, make_password('x').split('$')[0])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "redbook.settings", "SECRET_KEY": "x" * 50, "DEBUG": "0", "PATH": "/usr/bin"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["argon2", "argon2"]


@pytest.mark.django_db
def test_registration_stores_argon2_hash(settings, anon_client):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = anon_client.post(
        "/api/v1/auth/register/", {"username": "ada", "password": "Sunny-Day-42"}, format="json"
    )
    assert response.status_code == 201
    user = User.objects.get(username="ada")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("Sunny-Day-42")


def _token(username, password, ip="10.0.0.1"):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_burst_of_failed_logins_is_429_per_username_and_ip(user):
    statuses = [_token(user.username, "wrong").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    locked = _token(user.username, "correct-horse-9")
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert locked.data["code"] == "throttled"
    # The owner on another network is not locked out by the guesser.
    assert _token(user.username, "correct-horse-9", ip="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_success_resets_the_failure_count(user):
    for _ in range(4):
        _token(user.username, "wrong")
    assert _token(user.username, "correct-horse-9").status_code == 200
    assert [_token(user.username, "wrong").status_code for _ in range(5)] == [400] * 5


@pytest.mark.django_db
def test_spraying_many_usernames_from_one_ip_is_throttled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login_ip": "100/15m"},
    }
    statuses = [_token(f"ghost{i}", "wrong", ip="10.9.9.9").status_code for i in range(101)]
    assert statuses[:100] == [400] * 100
    assert statuses[100] == 429
