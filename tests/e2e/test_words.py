"""In headless Chromium, both languages, phone and desktop: every page in Chinese speaks Chinese
and never says 小红书, money reads ¥107.90, times are relative then short dates, and people
without an uploaded photo still have an avatar image."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from analytics.rollups import rollups_refresh
from demo import vocab
from posts.models import Comment
from posts.services import comment_create, note_create
from tests.e2e.conftest import screenshot
from tests.e2e.test_shop import _photo
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product, paid_order, put_in_cart

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Words of the interface (not of people's content) that must not stay English in Chinese.
UI_WORDS = re.compile(
    r"\b(Follow|Following|Followers|Explore|Nearby|Search|Shop|Cart|Log in|Log out|Sign up|Notifications|Me|"
    r"Home|Messages|Price|Stock|Saved|Likes|Comments?|Notes|Total|Subtotal|Shipping|Add to cart|Buy|Orders?|"
    r"Paid|Pending|Shipped|Variant|Quantity|Today|today|yesterday|ago|just now|Edit|Delete|Report|Share)\b"
)
TRADEMARK = "小红书"


@pytest.fixture
def world():
    """A brand selling at ¥107.90, a shopper's note with an old and a new comment, a paid order."""
    brand = BrandFactory(username="lumi", display_name="光研美妆")
    product = make_product(
        brand,
        name="水光面霜",
        description="清爽保湿。",
        variants=(("50毫升", "107.90", 8),),
        images=[_photo("p.jpg", (240, 200, 200))],
    )
    author = UserFactory(username="linxiaoyu", display_name="林小雨")
    shopper = UserFactory(username="shopper", display_name="Lily Chen")
    note = note_create(
        author=author,
        title="面霜真的好用",
        body="用了两周 #护肤",
        images=[_photo("n.jpg", (250, 220, 210))],
        product_ids=[product.pk],
    )
    old = comment_create(author=shopper, note=note, body="我也在用！")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    comment_create(author=brand, note=note, body="谢谢喜欢～")
    paid_order(shopper, product.variants.get())
    put_in_cart(shopper, product.variants.get())
    return {"brand": brand, "product": product, "author": author, "shopper": shopper, "note": note}


def _signed_in(page, live_server, user, language: str):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _pages(world) -> list[str]:
    return [
        "/",
        f"/notes/{world['note'].pk}/",
        f"/shop/products/{world['product'].pk}/",
        "/shop/",
        "/cart/",
        "/orders/",
        f"/u/{world['author'].username}/",
        "/notifications/",
        "/search/?q=面霜",
        "/settings/feeds/",
        "/accounts/profile/edit/",
        "/notes/new/",
    ]


def _visible_text(page) -> str:
    return page.locator("body").inner_text() + "\n" + page.title()


def _avatars_are_images(page) -> None:
    """Every avatar decodes to a real picture (lazy ones are loaded first: hidden or below the fold)."""
    assert page.locator("img.avatar").count() > 0
    broken = page.eval_on_selector_all(
        "img.avatar",
        """async images => {
            const broken = [];
            for (const image of images) {
                image.loading = "eager";
                try { await image.decode(); } catch (error) { broken.push(image.outerHTML); continue; }
                if (!image.naturalWidth) broken.push(image.outerHTML);
            }
            return broken;
        }""",
    )
    assert broken == []


@pytest.mark.parametrize("width", [390, 1440])
def test_chinese_pages_speak_chinese(page_at, live_server, world, width):
    page = page_at(width)
    _signed_in(page, live_server, world["shopper"], "zh-hans")
    for path in _pages(world):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        text = _visible_text(page).replace("English", "")  # the language switch names itself
        assert TRADEMARK not in page.content(), path
        leftovers = sorted(set(UI_WORDS.findall(text)))
        assert leftovers == [], (path, leftovers)
        _avatars_are_images(page)
        slug = re.sub(r"[^a-z]+", "-", path.split("?")[0]).strip("-") or "explore"
        screenshot(page, f"words-zh-{slug}-{width}")

    page.goto(f"/notes/{world['note'].pk}/")
    comments = page.locator(".comment time").all_inner_texts()
    assert "刚刚" in comments  # the new comment
    assert any(re.fullmatch(r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日", when) for when in comments)  # the old one
    page.goto(f"/shop/products/{world['product'].pk}/")
    assert page.locator(".product-price").inner_text().strip() == "¥107.90"
    page.goto("/orders/")
    assert "¥107.90" in page.locator(".order-row-total").first.inner_text()


@pytest.mark.parametrize("width", [390, 1440])
def test_english_pages_money_dates_and_avatars(page_at, live_server, world, width):
    page = page_at(width)
    _signed_in(page, live_server, world["shopper"], "en")
    page.goto(f"/notes/{world['note'].pk}/")
    comments = page.locator(".comment time").all_inner_texts()
    assert "just now" in comments
    assert any(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}(, \d{4})?", when) for when in comments)
    _avatars_are_images(page)
    screenshot(page, f"words-en-note-{width}")
    page.goto(f"/shop/products/{world['product'].pk}/")
    assert page.locator(".product-price").inner_text().strip() == "¥107.90"
    page.goto("/cart/")
    assert "¥107.90" in page.locator(".cart-line-total").first.inner_text()
    screenshot(page, f"words-en-cart-{width}")
    page.goto(f"/u/{world['author'].username}/")
    _avatars_are_images(page)
    assert TRADEMARK not in page.content()


@pytest.mark.parametrize("width", [390, 1440])
def test_the_brand_dashboard_in_chinese(page_at, live_server, world, width):
    page = page_at(width)
    _signed_in(page, live_server, world["brand"], "zh-hans")
    rollups_refresh()  # what beat does every minute: the paid order reaches the analytics
    for path, name in (
        ("/shop/manage/", "manage"),
        ("/shop/manage/products/new/", "manage-new"),
        ("/shop/manage/analytics/", "manage-analytics"),
    ):
        page.goto(path)
        text = _visible_text(page).replace("English", "")
        assert sorted(set(UI_WORDS.findall(text))) == [], path
        screenshot(page, f"words-zh-{name}-{width}")
    assert "¥107.90" in page.locator("[data-testid=totals]").inner_text()


@pytest.mark.parametrize("width", [390, 1440])
def test_the_demo_world_has_topic_photos_and_drawn_avatars(page_at, width):
    call_command("seed_demo", "--users", "60", "--notes", "150", "--images", "10", "--skip-post", "--no-progress")
    page = page_at(width)
    page.goto("/tags/food/")
    page.wait_for_load_state("networkidle")
    covers = page.locator("img.card-cover")
    assert covers.count() > 0
    food = f"-t{[topic.slug for topic in vocab.TOPICS].index('food'):02d}-"  # the food pool's file names
    assert all(food in src for src in covers.evaluate_all("images => images.map(i => i.src)"))
    _avatars_are_images(page)
    screenshot(page, f"words-demo-food-{width}")
