"""English and Simplified Chinese ship; the switch and the compiled catalogue work."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_compiled_catalog_is_shipped():
    """The .mo is committed, so no GNU gettext is needed to run the app."""
    with (CATALOG / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.gettext("Welcome back") == "欢迎回来"
    assert catalog.gettext("Skip to content") == "跳到正文"


def test_switching_language_shows_chinese(client):
    english = client.get("/accounts/login/").content.decode()
    assert "Welcome back" in english
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == 302
    chinese = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans"' in chinese
    assert "欢迎回来" in chinese
    assert "登录" in chinese
    assert "Welcome back" not in chinese


def test_accept_language_and_api_errors_in_chinese(client, user):
    response = client.get(f"/u/{user.username}/", headers={"accept-language": "zh-hans"})
    assert "粉丝" in response.content.decode()
    wrong = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "nope"}, headers={"accept-language": "zh-hans"}
    )
    assert wrong.status_code == 400 and "用户名或密码错误" in wrong.json()["detail"]


def test_language_switch_offers_both_languages(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html
    assert 'value="zh-hans"' in html
    assert "简体中文" in html
