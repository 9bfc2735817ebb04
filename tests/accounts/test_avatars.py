"""Everyone has an avatar: the uploaded photo, or one drawn from the name (accounts/avatars.py)."""

import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from accounts.avatars import avatar_url, generated_avatar_url, initials
from tests.factories import UserFactory

SVG_PREFIX = "data:image/svg+xml,"


def _svg(url: str) -> ET.Element:
    assert url.startswith(SVG_PREFIX)
    assert "#" not in url  # a fragment would cut the image short
    return ET.fromstring(unquote(url.removeprefix(SVG_PREFIX)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Lily Chen", "LC"), ("lily", "L"), ("林小雨", "林"), ("Mori 星野", "M"), ("  ", "?"), ("🙂 x", "X")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_the_drawn_avatar_is_well_formed_svg_whatever_the_name():
    svg = _svg(generated_avatar_url(username="amp", name="<b> & co"))
    assert svg.find("{http://www.w3.org/2000/svg}text").text == "C"  # markup is no initial


def test_colours_come_from_the_username_and_stay():
    colours = {
        _svg(generated_avatar_url(username=f"user{i}", name="Same Name")).find(".//{*}stop").get("stop-color")
        for i in range(30)
    }
    assert len(colours) > 3
    assert generated_avatar_url(username="ivy", name="Ivy") == generated_avatar_url(username="ivy", name="Ivy")


@pytest.mark.django_db
def test_pages_show_an_image_for_users_without_an_upload(client):
    person = UserFactory(display_name="Lily Chen")
    assert not person.avatar
    assert avatar_url(person).startswith(SVG_PREFIX)
    html = client.get(f"/u/{person.username}/").content.decode()
    assert '<img class="avatar avatar-88" src="data:image/svg+xml,' in html
    assert "avatar-initial" not in html
