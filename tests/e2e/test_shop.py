"""In headless Chromium: from a note to its product, cart, checkout, pay, find the order; the brand ships it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from posts.services import note_create
from shop.models import Order
from tests.e2e.conftest import screenshot
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _photo(name: str, color: tuple, size=(900, 900)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _log_in(page, user, next_url: str):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")


@pytest.mark.parametrize("width", [390, 1440])
def test_note_to_product_to_paid_order_then_brand_ships(page_at, width):
    brand = BrandFactory(username=f"glow{width}", display_name="Glow Studio")
    product = make_product(
        brand,
        name="Dewy Cushion Foundation",
        description="Light, dewy cover that lasts all day.",
        variants=(("Ivory 01", "189.00", 3), ("Natural 02", "189.00", 12)),
        images=[_photo("a.jpg", (235, 190, 170)), _photo("b.jpg", (200, 150, 130))],
    )
    for i, color in enumerate([(250, 210, 200), (220, 180, 200), (200, 220, 240)]):
        note_create(
            author=UserFactory(display_name=f"Reviewer {i}"),
            title=f"Cushion review {i}",
            body="Tried it for a week.",
            images=[_photo(f"n{i}.jpg", color, (720, 960 - i * 120))],
            product_ids=[product.pk],
        )
    from shop.services import product_notes_count_refresh

    product_notes_count_refresh(product_ids=[product.pk])
    note = product.notes.order_by("id").first()
    buyer = UserFactory(username=f"buyer{width}")
    page = page_at(width)

    # From the note to its product.
    _log_in(page, buyer, f"/notes/{note.pk}/")
    page.get_by_test_id(f"buy-{product.pk}").click()
    page.wait_for_url(f"**/shop/products/{product.pk}/")
    assert page.get_by_role("heading", name="Dewy Cushion Foundation").is_visible()
    assert page.get_by_role("heading", name="Notes from the community").is_visible()
    screenshot(page, f"shop-product-{width}")

    # Add to cart and check out.
    page.get_by_label("Natural 02").check()
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    screenshot(page, f"shop-cart-{width}")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/**")
    for label, value in [
        ("Recipient name", "Li Wei"),
        ("Phone", "138 0000 0000"),
        ("Address", "88 Nanjing Road"),
        ("City", "Shanghai"),
        ("Postal code", "200001"),
    ]:
        page.get_by_label(label, exact=True).fill(value)
    screenshot(page, f"shop-checkout-{width}")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/orders/*/")
    order = Order.objects.get(buyer=buyer)
    assert page.locator(".hold-note").get_by_text("held for you until").is_visible()

    # Pay with the sandbox card.
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    screenshot(page, f"shop-order-pay-{width}")
    page.get_by_role("button", name="Pay").click()
    page.wait_for_selector(".status-paid")
    order.refresh_from_db()
    assert order.status == "paid"

    # Find it among my orders.
    page.goto("/orders/")
    page.get_by_text(order.number).click()
    page.wait_for_url(f"**/orders/{order.pk}/")

    # The brand ships it.
    seller = page_at(width)
    _log_in(seller, brand, "/shop/manage/")
    row = seller.locator(f'[data-order="{order.number}"]')
    assert row.is_visible()
    screenshot(seller, f"shop-manage-{width}")
    row.get_by_placeholder("Tracking number").fill("SF1234567890")
    row.get_by_role("button", name="Ship").click()
    seller.wait_for_url("**/shop/manage/")
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("shipped", "SF1234567890")

    seller.goto(f"/shop/manage/products/{product.pk}/edit/")
    screenshot(seller, f"shop-manage-edit-{width}")

    # The buyer confirms delivery; their note about it now carries "Verified buyer".
    page.goto(f"/orders/{order.pk}/")
    page.get_by_role("button", name="I received it").click()
    page.wait_for_selector(".status-delivered")
    note_create(
        author=buyer,
        title="Worth every yuan",
        images=[_photo("mine.jpg", (240, 200, 160), (720, 720))],
        product_ids=[product.pk],
    )
    page.goto(f"/shop/products/{product.pk}/?buyers=1")
    verified = page.locator(".community-note.is-verified-buyer")
    assert verified.count() == 1 and "Worth every yuan" in verified.inner_text()
    assert verified.locator(".buyer-badge").is_visible()
    screenshot(page, f"shop-product-buyers-{width}")

    # The mall and the brand's store show the product and the notes about it.
    page.goto("/shop/")
    assert page.get_by_role("heading", name="Dewy Cushion Foundation").is_visible()
    screenshot(page, f"shop-mall-{width}")
    page.goto(f"/shop/brands/{brand.username}/")
    assert page.get_by_text("Cushion review 0").is_visible()
    screenshot(page, f"shop-store-{width}")
