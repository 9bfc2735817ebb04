"""In headless Chromium, in English and Chinese at 390 and 1440 px: checkout pre-filled from the
address book, paying, cancelling through a confirmation that names the refund; the phone's sticky
buy bar; a product page's community notes before the brand's own with a filter; the composer's
product picker telling same-named products apart."""

import pytest

from posts import services as post_services
from shop import addresses
from shop.models import Order
from tests.e2e.conftest import screenshot
from tests.e2e.test_boards import WIDTHS_AND_LANGUAGES, _text, signed_in_page
from tests.e2e.test_shop import _photo
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import ADDRESS, make_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_checkout_from_the_address_book_then_cancel_with_refund(page_at, live_server, width, language):
    brand = BrandFactory(username=f"glow{width}{language[:2]}", display_name="Glow Studio")
    product = make_product(
        brand, name="Dewy Cushion", variants=(("Ivory 01", "189.00", 5),), images=[_photo("p.jpg", (235, 190, 170))]
    )
    buyer = UserFactory(username=f"buyer{width}{language[:2]}")
    addresses.address_create(user=buyer, data={**ADDRESS, "line1": "1 Century Avenue"}, is_default=True)
    page = signed_in_page(page_at, live_server, buyer, width=width, language=language)

    page.goto(f"/shop/products/{product.pk}/")
    bar = page.locator("[data-buy-bar]")
    if width < 900:  # phones: the buy bar stays at the bottom while one scrolls through the notes
        assert bar.is_visible()
        page.mouse.wheel(0, 2000)
        box = bar.bounding_box()
        assert box and box["y"] + box["height"] <= page.viewport_size["height"]
        screenshot(page, f"orders-buy-bar-{language}-{width}")
        bar.get_by_role("button").click()
    else:
        assert not bar.is_visible()
        page.locator("#buy-form button[type=submit]").click()
        page.wait_for_url("**/cart/")
        page.goto(f"/checkout/?brand={brand.username}")
    page.wait_for_url("**/checkout/**")

    # The default address fills the form in; one click places the order.
    assert page.locator('input[name="line1"]').input_value() == "1 Century Avenue"
    assert page.locator('input[name="saved_address"]').first.is_checked()
    screenshot(page, f"orders-checkout-prefilled-{language}-{width}")
    page.locator(".checkout-form button[type=submit]").click()
    page.wait_for_url("**/orders/*/")
    order = Order.objects.get(buyer=buyer)
    assert order.shipping_address["line1"] == "1 Century Avenue"
    page.locator('input[name="card_number"]').fill("4242 4242 4242 4242")
    page.locator(".pay-form button[type=submit]").click()
    page.wait_for_selector(".message-success")

    # Cancelling asks first, naming the refund, then says it was made.
    page.locator('[data-dialog-open="cancel-order"]').click()
    dialog = page.locator("#cancel-order")
    dialog.wait_for(state="visible")
    assert "189.00" in dialog.inner_text()
    screenshot(page, f"orders-cancel-dialog-{language}-{width}")
    dialog.locator("[data-dialog-close]").click()
    assert not dialog.is_visible()
    order.refresh_from_db()
    assert order.status == "paid"  # "keep order" kept it
    page.locator('[data-dialog-open="cancel-order"]').click()
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")
    message = page.locator(".message-success").inner_text()
    assert "189.00" in message and _text(language, "refunded to your card", "已退回你的银行卡") in message
    order.refresh_from_db()
    assert order.status == "cancelled"
    screenshot(page, f"orders-cancelled-{language}-{width}")


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_product_page_community_first_brand_labelled_and_filtered(page_at, live_server, width, language):
    brand = BrandFactory(username=f"tint{width}{language[:2]}", display_name="Tint Lab")
    product = make_product(brand, name="Lip tint", variants=(("Rose", "59.00", 9),))
    own = post_services.note_create(
        author=brand, title="Our new tint", body="", images=[_photo("b.jpg", (200, 60, 90))], product_ids=[product.pk]
    )
    for i, color in enumerate([(250, 200, 210), (230, 180, 160)]):
        post_services.note_create(
            author=UserFactory(display_name=f"Fan {i}"),
            title=f"Tried it {i}",
            body="",
            images=[_photo(f"c{i}.jpg", color)],
            product_ids=[product.pk],
        )
    page = signed_in_page(page_at, live_server, UserFactory(), width=width, language=language)
    page.goto(f"/shop/products/{product.pk}/")
    notes = page.locator(".community-note")
    assert notes.count() == 3
    assert "is-from-brand" in notes.nth(2).get_attribute("class")  # the brand's own come last
    assert notes.nth(2).locator(".brand-badge").inner_text() == _text(language, "From the brand", "品牌发布")
    page.locator("#community-notes").scroll_into_view_if_needed()
    screenshot(page, f"product-notes-all-{language}-{width}")

    page.locator('[data-notes-filter="brand"]').click()
    page.wait_for_url("**notes=brand**")
    assert page.locator(".community-note").count() == 1
    assert page.get_by_role("link", name="Our new tint").first.is_visible()
    page.locator('[data-notes-filter="community"]').click()
    page.wait_for_url("**notes=community**")
    assert page.locator(".community-note").count() == 2 and page.locator(".brand-badge").count() == 0
    screenshot(page, f"product-notes-community-{language}-{width}")
    assert own.pk


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_product_picker_shows_photo_price_and_store(page_at, live_server, width, language):
    first = BrandFactory(username=f"aqua{width}{language[:2]}", display_name="Aqua Labs")
    second = BrandFactory(username=f"dew{width}{language[:2]}", display_name="Dew & Co")
    make_product(
        first, name="Hydra cream", variants=(("50 ml", "129.00", 3),), images=[_photo("a.jpg", (90, 160, 220))]
    )
    make_product(second, name="Hydra cream", variants=(("50 ml", "89.00", 3), ("100 ml", "149.00", 3)))
    page = signed_in_page(page_at, live_server, UserFactory(), width=width, language=language)
    page.goto("/notes/new/")
    page.locator("[data-product-search]").fill("Hydra")
    results = page.locator(".product-result")
    results.first.wait_for()
    assert results.count() == 2
    aqua = results.filter(has_text="Aqua Labs").inner_text()
    dew = results.filter(has_text="Dew & Co").inner_text()
    assert "Hydra cream" in aqua and "¥129.00" in aqua
    assert "Hydra cream" in dew and "¥89.00" in dew and "¥149.00" in dew
    assert page.locator(".product-result img.product-result-thumb").count() == 1  # the other has no photo
    screenshot(page, f"composer-product-picker-{language}-{width}")
    page.locator(".product-result", has_text="Dew & Co").click()
    assert "Dew & Co" in page.locator("[data-product-selected] li").inner_text()


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (1440, "zh-hans")])
def test_address_book_page_adds_and_changes_the_default(page_at, live_server, width, language):
    buyer = UserFactory(username=f"book{width}")
    addresses.address_create(user=buyer, data=ADDRESS)
    page = signed_in_page(page_at, live_server, buyer, width=width, language=language)
    page.goto("/addresses/")
    form = page.locator("form.address-form")
    for name, value in {**ADDRESS, "line1": "1 Century Avenue", "city": "Pudong"}.items():
        form.locator(f'input[name="{name}"]').fill(value)
    form.locator('input[name="is_default"]').check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")
    items = page.locator(".address-item")
    assert items.count() == 2
    assert "1 Century Avenue" in items.first.inner_text()  # the new default comes first
    assert items.first.locator(".pill").inner_text() == _text(language, "Default", "默认")
    screenshot(page, f"orders-address-book-{language}-{width}")
    assert buyer.addresses.get(is_default=True).line1 == "1 Century Avenue"
