"""In headless Chromium: from a note to its place page, nearest notes first under a map
drawn on the server (at 390 and 1440 px, in English and Chinese)."""

import pytest

from posts import services as note_services
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.posts.conftest import image_bytes, upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COLORS = [(240, 200, 210), (200, 220, 240), (230, 230, 200), (210, 240, 210), (235, 215, 240)]


def _world():
    author = UserFactory(username="wukang_mei", display_name="小美")
    spots = [("Manner 拿铁", 0, 0), ("梧桐树下", 120, 80), ("老洋房", -200, 150), ("街角面包", 400, -300)]
    notes = []
    for i, (title, north_m, east_m) in enumerate(spots):
        image = upload(data=image_bytes(size=(300, 360 + 40 * i), color=COLORS[i]))
        notes.append(
            note_services.note_create(
                author=author,
                title=title,
                images=[image],
                place_name="武康路" if i % 2 else "武康路 ",  # spelled two ways: one place
                lat=31.2100 + north_m * 9e-6,
                lng=121.4400 + east_m * 1.05e-5,
            )
        )
    return notes


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [390, 1440])
def test_a_notes_place_page_with_its_map(page_at, live_server, width, language):
    notes = _world()
    page = page_at(width)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"/notes/{notes[0].pk}/")
    page.locator("a.note-place").click()
    page.wait_for_url(f"**/places/{notes[0].place_id}/")
    assert page.locator("h1").inner_text().strip() == "武康路"
    assert page.locator(".place-map svg circle.place-map-note").count() == 4
    titles = page.locator(".card-title").all_inner_texts()
    assert titles == ["Manner 拿铁", "梧桐树下", "老洋房", "街角面包"]  # nearest first
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"place-{language}-{width}")
