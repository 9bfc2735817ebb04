"""In headless Chromium: sign up, edit the profile, follow someone (at 390 and 1440 px)."""

import io

import pytest
from PIL import Image

from accounts.models import Follow, User
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _avatar_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (255, 120, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("width", [390, 1440])
def test_sign_up_edit_profile_and_follow(page_at, width):
    star = UserFactory(username=f"star{width}", display_name="Glow Studio", bio="Skincare that works.")
    star.is_verified = True
    star.save(update_fields=["is_verified"])
    page = page_at(width)
    username = f"newbie{width}"

    page.goto("/accounts/signup/")
    # Keyboard users land on the skip link first; icon-only links keep their names.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.get_by_role("link", name="Cart").is_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill("New Bie")
    page.get_by_label("Password").fill("Sunny-Day-42")
    screenshot(page, f"accounts-signup-{width}")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url("**/accounts/profile/edit/")
    page.get_by_label("Bio").fill("Weekend hiker, coffee first.")
    page.get_by_label("Location").fill("Shanghai")
    page.get_by_label("Avatar").set_input_files({"name": "me.png", "mimeType": "image/png", "buffer": _avatar_png()})
    page.wait_for_selector("[data-avatar-preview] img[src^='blob:']")  # previewed before upload
    screenshot(page, f"accounts-edit-{width}")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(f"**/u/{username}/")
    assert page.get_by_role("heading", name="New Bie").is_visible()
    assert page.get_by_text("Weekend hiker, coffee first.").is_visible()
    assert page.get_by_role("img", name="Avatar of New Bie").is_visible()
    screenshot(page, f"accounts-own-profile-{width}")
    me = User.objects.get(username=username)
    assert me.bio == "Weekend hiker, coffee first."
    assert me.avatar

    page.goto(f"/u/{star.username}/")
    follow = page.locator('[data-action="follow-toggle"]')
    assert follow.inner_text() == "Follow"
    follow.click()
    page.wait_for_selector('[data-action="follow-toggle"][data-following="true"]')
    # No full reload: the count changed in place from the API's answer.
    assert page.locator(f'[data-followers-count="{star.username}"]').inner_text() == "1"
    assert follow.inner_text() == "Following"
    assert Follow.objects.filter(follower=me, followee=star).exists()
    screenshot(page, f"accounts-profile-followed-{width}")

    page.goto(f"/u/{star.username}/followers/")
    assert page.get_by_text(f"@{username}").is_visible()
    screenshot(page, f"accounts-followers-{width}")

    follow = page.locator('[data-action="follow-toggle"]')
    page.goto(f"/u/{star.username}/")
    follow.click()
    page.wait_for_selector('[data-action="follow-toggle"][data-following="false"]')
    assert not Follow.objects.filter(follower=me, followee=star).exists()

    # The language switch submits itself on change (no button needed with JavaScript).
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="发现").first.is_visible()
    screenshot(page, f"accounts-profile-zh-{width}")
