"""In headless Chromium: search, highlighted results, suggestions, tabs (at 390 and 1440 px)."""

import pytest

from posts import services as note_services
from tests.e2e.conftest import screenshot
from tests.factories import BrandFactory, UserFactory
from tests.posts.conftest import image_bytes, upload
from tests.search.conftest import make_product, searched_by_many

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world():
    author = UserFactory(username="hufu_mei", display_name="小美爱护肤")
    colors = [(240, 200, 210), (200, 220, 240), (230, 230, 200)]
    for i, (title, body) in enumerate(
        [("保湿面霜推荐", "秋冬干皮必备的面霜"), ("平价面霜红黑榜", "学生党面霜测评"), ("敏感肌面霜", "温和不刺激")]
    ):
        image = upload(data=image_bytes(size=(300, 380 + 60 * i), color=colors[i]))
        note_services.note_create(author=author, title=title, body=body, images=[image], tags=["护肤", "面霜"])
    make_product(BrandFactory(display_name="兰蔻"), name="小黑瓶精华 <限定版>", price="760.00")
    searched_by_many("面霜")
    searched_by_many("露营装备")


@pytest.mark.parametrize("width", [390, 1440])
def test_search_page(page_at, width):
    _world()  # notes made through posts' service: indexed as each one commits
    page = page_at(width)

    page.goto("/search/")
    assert page.get_by_role("heading", name="Trending today").is_visible()
    assert page.get_by_role("link", name="1 露营装备").count() + page.get_by_role("link", name="1 面霜").count() == 1
    screenshot(page, f"search-start-{width}")

    page.goto("/search/?q=面霜")
    assert page.locator(".card").count() == 3
    page.wait_for_selector(".card-title mark")  # search.js highlights the query in titles
    assert page.locator(".card-title mark").first.inner_text() == "面霜"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    screenshot(page, f"search-notes-{width}")

    box = page.locator("#search-q")
    box.fill("")
    box.type("护")
    suggestion = page.locator("#search-suggest [role=option]", has_text="#护肤")
    suggestion.wait_for()
    assert suggestion.locator("mark").inner_text() == "护"
    screenshot(page, f"search-suggest-{width}")
    box.press("Escape")

    page.get_by_role("link", name="Products").click()
    page.wait_for_url("**type=products**")
    page.goto("/search/?q=精华&type=products")
    product = page.locator(".search-product-name")
    assert product.inner_text() == "小黑瓶精华 <限定版>"  # escaped, then marked
    assert product.locator("mark").inner_text() == "精华"
    screenshot(page, f"search-products-{width}")

    page.goto("/search/?q=护肤&type=tags")
    page.get_by_role("link", name="#护肤 3 notes").click()
    page.wait_for_url("**/tags/%E6%8A%A4%E8%82%A4/")
