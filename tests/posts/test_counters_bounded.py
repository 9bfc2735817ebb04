"""Shares and views count at most once per viewer (account, else client address) per note per day.

Rotating user agents, dropping cookies or forging forwarding headers does not make an
anonymous client a new viewer; distinct clients behind a trusted proxy stay distinct.
"""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from posts import view_counts
from posts.models import Note
from tests.conftest import client_for, requires_redis

pytestmark = pytest.mark.django_db


def _share(client, note, **headers):
    response = client.post(f"/api/v1/notes/{note.pk}/share/", **headers)
    assert response.status_code == 200
    return response.json()["share_count"]


def _view(client, note, **headers):
    assert client.post(f"/api/v1/notes/{note.pk}/view/", **headers).status_code == 202


def _views(note) -> int:
    view_counts.views_flush()
    return Note.objects.get(pk=note.pk).view_count


def _rotating(n: int) -> dict:
    """What an inflating script changes between requests."""
    return {
        "HTTP_USER_AGENT": f"Mozilla/5.0 bot-{n}",
        "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}",
        "HTTP_X_REAL_IP": f"203.0.113.{n}",
        "HTTP_CF_CONNECTING_IP": f"203.0.113.{n}",
    }


def test_anonymous_shares_count_once_per_address_whatever_else_changes(note):
    counts = [_share(APIClient(REMOTE_ADDR="198.51.100.7"), note, **_rotating(n)) for n in range(5)]

    assert counts == [1, 1, 1, 1, 1]
    assert _share(APIClient(REMOTE_ADDR="198.51.100.8"), note) == 2  # another address is another viewer


def test_an_account_shares_once_a_day_from_any_address(note, other_user):
    client = client_for(other_user)

    counts = [_share(client, note, REMOTE_ADDR=f"198.51.100.{n}") for n in range(3)]

    assert counts == [1, 1, 1]
    assert _share(APIClient(REMOTE_ADDR="198.51.100.1"), note) == 2  # anonymous at that address: another viewer


@requires_redis
def test_anonymous_views_count_once_per_address_whatever_else_changes(note):
    for n in range(5):
        _view(APIClient(REMOTE_ADDR="198.51.100.7"), note, **_rotating(n))

    assert _views(note) == 1
    _view(APIClient(REMOTE_ADDR="198.51.100.8"), note)
    assert _views(note) == 2


def test_views_count_once_per_address_without_redis_too(note, settings):
    from redbook.redis import get_redis

    settings.REDIS_URL = ""
    get_redis.cache_clear()
    try:
        for n in range(3):
            _view(APIClient(REMOTE_ADDR="198.51.100.7"), note, **_rotating(n))
    finally:
        get_redis.cache_clear()

    assert Note.objects.get(pk=note.pk).view_count == 1


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_client_is_its_own_viewer(note):
    proxy = APIClient(REMOTE_ADDR="10.0.0.5")

    counts = [_share(proxy, note, HTTP_X_FORWARDED_FOR=ip) for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1")]

    assert counts == [1, 2, 2]


def test_reshare_needs_an_account(note, anon_client):
    assert anon_client.post(f"/api/v1/notes/{note.pk}/reshare/").status_code == 401
    assert Note.objects.get(pk=note.pk).reshare_count == 0
