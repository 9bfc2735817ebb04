"""In headless Chromium: save a note into a new private board, rename it, make it public,
delete it (the note stays saved), and the profile's Boards and Likes tabs, in English and Chinese."""

import pytest
from django.conf import settings
from django.test import Client

from posts import services
from posts.models import Collection, Save
from tests.e2e.conftest import screenshot
from tests.e2e.test_shop import _photo
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS_AND_LANGUAGES = [(390, "en"), (1440, "en"), (390, "zh-hans"), (1440, "zh-hans")]


def signed_in_page(page_at, live_server, user, *, width: int, language: str):
    """A page whose browser is signed in as `user` and speaks `language`."""
    client = Client()
    client.force_login(user)
    page = page_at(width)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookies = [
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language},
    ]
    page.context.add_cookies([{**cookie, "domain": host, "path": "/"} for cookie in cookies])
    return page


def _text(language: str, en: str, zh: str) -> str:
    return zh if language.startswith("zh") else en


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_save_into_a_new_private_board_then_rename_and_delete_it(page_at, live_server, width, language):
    author = UserFactory(display_name="Mia")
    note = services.note_create(
        author=author, title="Latte art at home", body="#coffee", images=[_photo("n.jpg", (200, 160, 120))]
    )
    me = UserFactory(username=f"saver{width}{language[:2]}", display_name="Saver")
    services.note_like(user=me, note=note)
    page = signed_in_page(page_at, live_server, me, width=width, language=language)
    board_name = _text(language, "Coffee spots", "咖啡店")

    # Save asks which board, with a private switch, and can make a new one.
    page.goto(f"/notes/{note.pk}/")
    page.locator('[data-action="note-save"]').click()
    dialog = page.locator("#save-dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_role("heading").inner_text() == _text(language, "Save to a board", "收藏到收藏夹")
    assert dialog.get_by_role("radio").first.is_checked()  # "Saved", the default board
    dialog.locator("[data-new-board-name]").fill(board_name)
    dialog.locator("[data-new-board-private]").check()
    screenshot(page, f"boards-save-dialog-{language}-{width}")
    dialog.locator('button[type="submit"]').click()
    page.wait_for_selector('[data-action="note-save"][aria-pressed="true"]')
    assert not dialog.is_visible()
    board = Collection.objects.get(owner=me, name=board_name)
    assert board.is_private and Save.objects.get(user=me, note=note).collection == board
    assert page.locator('[data-action="note-save"] [data-count="save"]').inner_text() == "1"

    # The profile's Boards tab lists it as private; Likes shows the liked note to its owner.
    page.goto(f"/u/{me.username}/?tab=boards")
    tile = page.locator(".collection-tile", has_text=board_name)
    assert tile.locator(".pill").inner_text() == _text(language, "Private", "私密")
    screenshot(page, f"boards-profile-boards-{language}-{width}")
    page.locator('[data-tab="likes"]').click()
    page.wait_for_url("**?tab=likes")
    assert page.get_by_role("link", name="Latte art at home").first.is_visible()
    screenshot(page, f"boards-profile-likes-{language}-{width}")

    # Rename it and make it public from its page.
    page.goto(f"/collections/{board.pk}/")
    page.locator('[data-dialog-open="board-edit"]').click()
    edit = page.locator("#board-edit")
    edit.locator('input[name="name"]').fill(board_name + " 2025")
    edit.locator('input[name="is_private"]').uncheck()
    screenshot(page, f"boards-edit-dialog-{language}-{width}")
    edit.locator('button[type="submit"]').click()
    page.wait_for_selector(".message-success")
    board.refresh_from_db()
    assert (board.name, board.is_private) == (board_name + " 2025", False)

    # Delete it: a confirmation first, then the note is still saved, in "Saved".
    page.locator('[data-dialog-open="board-delete"]').click()
    confirm = page.locator("#board-delete")
    assert _text(language, "move to your Saved board", "已收藏") in confirm.inner_text()
    screenshot(page, f"boards-delete-dialog-{language}-{width}")
    confirm.locator('button[type="submit"]').click()
    page.wait_for_url("**?tab=boards")
    assert not Collection.objects.filter(pk=board.pk).exists()
    assert Save.objects.get(user=me, note=note).collection.is_default
    screenshot(page, f"boards-after-delete-{language}-{width}")


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (1440, "zh-hans")])
def test_likes_tab_is_private_until_the_owner_shows_it(page_at, live_server, width, language):
    liker = UserFactory(username=f"liker{width}", display_name="Liker")
    note = services.note_create(
        author=UserFactory(), title="Matcha", body="", images=[_photo("m.jpg", (120, 180, 120))]
    )
    services.note_like(user=liker, note=note)
    visitor = UserFactory()
    page = signed_in_page(page_at, live_server, visitor, width=width, language=language)
    page.goto(f"/u/{liker.username}/?tab=likes")
    assert page.locator(".empty-state").inner_text() == _text(language, "Likes are private.", "赞过的笔记不公开。")

    # The owner switches "show my likes" on in the profile settings.
    owner = signed_in_page(page_at, live_server, liker, width=width, language=language)
    owner.goto("/accounts/profile/edit/")
    owner.locator('input[name="likes_public"]').check()
    screenshot(owner, f"boards-likes-setting-{language}-{width}")
    owner.locator('form.stack-form button[type="submit"]').click()
    owner.wait_for_url(f"**/u/{liker.username}/")
    liker.refresh_from_db()
    assert liker.likes_public

    page.reload()
    assert page.get_by_role("link", name="Matcha").first.is_visible()
    screenshot(page, f"boards-likes-public-{language}-{width}")
