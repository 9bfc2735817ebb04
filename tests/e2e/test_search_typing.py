"""In headless Chromium: search as you type in the top bar on several pages, and a
two-word search's order (at 390 and 1440 px, in English and Chinese)."""

import pytest

from posts import services as note_services
from tests.e2e.conftest import screenshot
from tests.factories import BrandFactory, UserFactory
from tests.posts.conftest import image_bytes, upload
from tests.search.conftest import make_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHOTOS = [(240, 200, 210), (200, 220, 240), (230, 230, 200), (210, 240, 210)]


def _note(author, i: int, title: str, body: str = "", **fields):
    image = upload(data=image_bytes(size=(300, 360 + 40 * i), color=PHOTOS[i % len(PHOTOS)]))
    return note_services.note_create(author=author, title=title, body=body, images=[image], **fields)


def _world():
    author = UserFactory(username="kafei_mei", display_name="小美")
    notes = {
        "both": _note(author, 0, "上海咖啡馆探店", "安静的咖啡馆", place_name="武康路"),
        "shanghai": _note(author, 1, "上海外滩夜景", "夜景很美"),
        "coffee": _note(author, 2, "Iced coffee at home", "手冲咖啡教程"),
        "cameras": _note(author, 3, "Film cameras", "three cameras I love"),
    }
    make_product(BrandFactory(display_name="Sunny"), name="Mineral sunscreen SPF50", price="129.00")
    return notes


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [390, 1440])
def test_the_top_bar_suggests_as_you_type_on_every_page(page_at, live_server, width, language):
    notes = _world()
    page = page_at(width)
    _in_language(page, live_server, language)
    for path, typed, expected in [
        ("/", "cof", "coffee"),
        ("/shop/", "sun", "sunscreen"),
        (f"/notes/{notes['both'].pk}/", "咖", "咖啡"),
        ("/search/?q=camera", "camer", "cameras"),
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        box = page.locator("#search-q")
        box.fill("")
        box.press_sequentially(typed, delay=40)
        option = page.locator("#search-suggest [role=option]", has_text=expected).first
        option.wait_for()
        assert option.locator("mark").first.inner_text().lower() == typed.lower()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        screenshot(page, f"search-typing-{path.strip('/').split('/')[0] or 'home'}-{language}-{width}")

    # Keyboard: down to the first suggestion, Enter opens it; Escape closes the list.
    page.goto("/")
    box = page.locator("#search-q")
    box.press_sequentially("cof", delay=40)
    page.locator("#search-suggest [role=option]", has_text="coffee").first.wait_for()
    box.press("Escape")
    assert page.locator("#search-suggest").is_hidden()
    box.press("ArrowDown")
    page.locator("#search-suggest [role=option]").first.wait_for()
    box.press("ArrowDown")
    assert page.locator("#search-suggest [aria-selected=true]").count() == 1
    box.press("Enter")
    page.wait_for_url("**/search/?q=**")
    assert page.locator(".card").count() >= 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [390, 1440])
def test_a_two_word_search_shows_notes_with_both_words_first(page_at, live_server, width, language):
    _world()
    page = page_at(width)
    _in_language(page, live_server, language)
    page.goto("/search/?q=上海 咖啡")
    titles = page.locator(".card-title").all_inner_texts()
    assert titles[0] == "上海咖啡馆探店"
    assert set(titles[1:]) == {"上海外滩夜景", "Iced coffee at home"}
    page.wait_for_selector(".card-title mark")
    screenshot(page, f"search-two-words-{language}-{width}")
