"""In headless Chromium, at phone and desktop widths, in English and Chinese: what
moderation, orders and re-shares tell people on the notifications page, the taken-down
banner on the author's note, and the appeal from it.

There is no Celery worker here: each test runs the notification task itself, at the
point where the worker would (tests/moderation/test_notify_worker.py and
tests/shop/test_order_notifications.py cover the real worker)."""

import pytest
from playwright.sync_api import expect

from moderation import services as moderation_services
from moderation import tasks as moderation_tasks
from moderation.models import Appeal
from posts import notifications
from posts import services as posts_services
from posts.models import Reshare
from shop import orders
from shop.order_notifications import notify_order_status
from tests.e2e.conftest import screenshot
from tests.e2e.test_moderation import log_in, watch_csp
from tests.factories import BrandFactory, UserFactory
from tests.moderation.conftest import ensure_moderators_group
from tests.posts.conftest import upload
from tests.shop.conftest import make_product, paid_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS_AND_LANGUAGES = [(390, "en"), (1440, "en"), (390, "zh-hans"), (1440, "zh-hans")]

WORDS = {
    "en": {
        "taken_down": "Your note was taken down after review.",
        "appeal_link": "See the note and appeal",
        "banner": "This note was taken down",
        "appeal": "Appeal",
        "send": "Send appeal",
        "sent": "Thanks. A moderator will review your appeal.",
        "waiting": "Waiting for review",
        "restored": "Your note is visible again.",
        "paid": "Payment received for order {number}: ¥107.90.",
        "shipped": "Order {number} has shipped (tracking number SF1234).",
        "refunded": "Order {number} was refunded: ¥107.90 is on its way back to you.",
        "received": "New paid order {number} from @{buyer}: ¥107.90.",
        "reshared": "{name} re-shared your note",
        "mark_read": "Mark all as read",
    },
    "zh-hans": {
        "taken_down": "你的笔记经审核后已被下架。",
        "appeal_link": "查看笔记并申诉",
        "banner": "这篇笔记已被下架",
        "appeal": "申诉",
        "send": "提交申诉",
        "sent": "谢谢。审核员会处理你的申诉。",
        "waiting": "等待审核",
        "restored": "你的笔记已恢复显示。",
        "paid": "订单 {number} 已付款：¥107.90。",
        "shipped": "订单 {number} 已发货（运单号 SF1234）。",
        "refunded": "订单 {number} 已退款：¥107.90 将退回给你。",
        "received": "新的已付款订单 {number}，来自 @{buyer}：¥107.90。",
        "reshared": "{name} 转发了你的笔记",
        "mark_read": "全部标为已读",
    },
}


def open_as(page_at, width: int, language: str, user, violations: list):
    page = page_at(width)
    page.context.set_extra_http_headers({"Accept-Language": language})
    watch_csp(page, violations)
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))
    log_in(page, "/accounts/login/", user.username)
    return page


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_take_down_notice_banner_appeal_and_restoration(page_at, width, language):
    words = WORDS[language]
    author = UserFactory(username=f"author{width}{language[:2]}")
    moderator = UserFactory(username=f"mod{width}{language[:2]}", is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    note = posts_services.note_create(author=author, title="Miracle cream", body="Paid review", images=[upload()])
    entry = moderation_services.target_take_down(
        target_type="note", target_id=note.pk, moderator=moderator, reason="Undisclosed paid review"
    )
    moderation_tasks.notify_decision(entry.pk)
    violations: list[str] = []

    # The notice, with the reason and the way to appeal.
    page = open_as(page_at, width, language, author, violations)
    page.goto("/notifications/")
    notice = page.locator(".notification.is-system").first
    assert words["taken_down"] in notice.inner_text()
    assert "Undisclosed paid review" in notice.inner_text()
    assert page.get_by_role("button", name=words["mark_read"]).is_visible()
    assert fits_the_screen(page)
    screenshot(page, f"notifications-takedown-{width}-{language}")

    # The link leads to the note, where the author sees the banner and appeals.
    notice.get_by_role("link", name=words["appeal_link"]).click()
    page.wait_for_url(f"**/notes/{note.pk}/")
    banner = page.locator(".takedown-banner")
    assert words["banner"] in banner.inner_text() and "Undisclosed paid review" in banner.inner_text()
    banner.locator("summary").click()
    banner.locator("textarea[name=reason]").fill("The brand did not pay me; I bought it myself.")
    assert fits_the_screen(page)
    screenshot(page, f"note-takedown-banner-{width}-{language}")
    banner.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**/notes/{note.pk}/")
    assert page.get_by_text(words["sent"]).is_visible()
    after = page.locator(".takedown-banner").inner_text()
    assert words["waiting"] in after and words["banner"] in after and "Undisclosed paid review" in after
    assert page.locator(".takedown-banner form").count() == 0  # once only
    assert Appeal.objects.get().reason == "The brand did not pay me; I bought it myself."
    screenshot(page, f"note-takedown-appealed-{width}-{language}")

    # A moderator restores it: the author is told, and the banner is gone.
    entry = moderation_services.target_restore(target_type="note", target_id=note.pk, moderator=moderator)
    moderation_tasks.notify_decision(entry.pk)
    page.goto("/notifications/")
    assert words["restored"] in page.locator(".notification.is-system").first.inner_text()
    page.goto(f"/notes/{note.pk}/")
    assert page.locator(".takedown-banner").count() == 0
    assert violations == []


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_orders_tell_the_buyer_and_the_brand(page_at, width, language):
    words = WORDS[language]
    brand = BrandFactory(username=f"glow{width}{language[:2]}")
    buyer = UserFactory(username=f"mei{width}{language[:2]}")
    variant = make_product(brand, variants=(("Gift set", "107.90", 5),)).variants.get()
    order = paid_order(buyer, variant)
    notify_order_status(order_id=order.pk, status="paid")
    orders.order_ship(order_id=order.pk, actor=brand, tracking_number="SF1234")
    notify_order_status(order_id=order.pk, status="shipped")
    orders.order_refund(order_id=order.pk, actor=brand)
    notify_order_status(order_id=order.pk, status="refunded")
    violations: list[str] = []

    page = open_as(page_at, width, language, buyer, violations)
    page.goto("/notifications/")
    listed = page.locator(".notification-list").inner_text()
    for key in ["paid", "shipped", "refunded"]:
        assert words[key].format(number=order.number) in listed
    assert fits_the_screen(page)
    screenshot(page, f"notifications-orders-{width}-{language}")
    page.locator(".notification-link a").first.click()
    page.wait_for_url(f"**/orders/{order.pk}/")

    seller = open_as(page_at, width, language, brand, violations)
    seller.goto("/notifications/")
    expected = words["received"].format(number=order.number, buyer=buyer.username)
    assert expected in seller.locator(".notification-list").inner_text()
    screenshot(seller, f"notifications-new-order-{width}-{language}")
    seller.locator(".notification-link a").first.click()
    seller.wait_for_url("**/shop/manage/")
    assert violations == []


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_a_reshare_tells_the_author(page_at, width, language):
    words = WORDS[language]
    author = UserFactory(username=f"writer{width}{language[:2]}")
    fan = UserFactory(username=f"fan{width}{language[:2]}", display_name="Fan Bing")
    note = posts_services.note_create(author=author, title="Tea in Hangzhou", body="#tea", images=[upload()])
    violations: list[str] = []

    # The fan re-shares from the note's page.
    fan_page = open_as(page_at, width, language, fan, violations)
    fan_page.goto(f"/notes/{note.pk}/")
    button = fan_page.locator("[data-action=note-reshare]")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    notifications.notify_reshare(reshare_id=Reshare.objects.get(note=note, user=fan).pk)  # the worker's part

    page = open_as(page_at, width, language, author, violations)
    page.goto("/notifications/")
    item = page.locator(".notification").first
    assert words["reshared"].format(name="Fan Bing") in item.inner_text()
    assert item.locator(f'a[href="/notes/{note.pk}/"]').count() == 1
    assert fits_the_screen(page)
    screenshot(page, f"notifications-reshare-{width}-{language}")

    # Marking read is a POST: the button, and the unread mark goes.
    page.get_by_role("button", name=words["mark_read"]).click()
    page.wait_for_url("**/notifications/")
    assert page.locator(".notification.is-unread").count() == 0
    assert violations == []
