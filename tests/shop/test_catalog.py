"""Products: the list with filters, the detail with notes, brand-only writes."""

from decimal import Decimal

import pytest

from posts.models import Note
from shop import services
from shop.models import Category, Product
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product, paid_order

pytestmark = pytest.mark.django_db


def test_product_create_keeps_price_range(brand):
    product = make_product(brand, variants=(("S", "10.00", 1), ("L", "30.50", 0)))
    assert (product.price_min, product.price_max) == (Decimal("10.00"), Decimal("30.50"))
    assert product.variants.count() == 2


def test_product_list_shape_and_money_as_strings(anon_client, product):
    response = anon_client.get("/api/v1/products/")
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["id"] == product.pk
    assert item["price_min"] == "129.00" and item["price_max"] == "199.00" and item["currency"] == "CNY"
    assert item["brand"]["username"] == product.brand.username and item["brand"]["is_brand"] is True
    assert [v["name"] for v in item["variants"]] == ["50 ml", "100 ml"]
    assert item["variants"][0] == {
        "id": item["variants"][0]["id"],
        "name": "50 ml",
        "price": "129.00",
        "in_stock": True,
        "only_left": None,
        "gtin": None,  # none given (partners: shop/gtin.py)
    }
    assert {"images", "rating", "notes_count", "description", "category"} <= set(item)
    assert response.json()["next"] is None


def test_product_list_filters(anon_client, brand):
    skincare = Category.objects.create(slug="skincare", name="Skincare")
    cream = make_product(brand, name="Night cream", category="skincare")
    other = make_product(BrandFactory(), name="Lipstick", variants=(("Red", "89.00", 3),))
    assert cream.category == skincare

    def ids(query):
        response = anon_client.get(f"/api/v1/products/?{query}")
        assert response.status_code == 200, response.content
        return [p["id"] for p in response.json()["results"]]

    assert ids("q=cream") == [cream.pk]
    assert ids(f"brand={other.brand.username}") == [other.pk]
    assert ids("category=skincare") == [cream.pk]
    assert ids("ordering=price") == [other.pk, cream.pk]
    assert ids("ordering=-price") == [cream.pk, other.pk]
    assert ids("ordering=-price_min") == [cream.pk, other.pk]
    assert ids(f"brand={other.brand.pk}") == [other.pk]
    assert ids(f"category={skincare.pk}") == [cream.pk]
    assert anon_client.get("/api/v1/products/?ordering=bogus").status_code == 400


def test_product_list_hides_unlisted_and_suspended_brands(anon_client, brand):
    hidden = make_product(brand)
    Product.objects.filter(pk=hidden.pk).update(is_listed=False)
    suspended = make_product(BrandFactory())
    suspended.brand.is_suspended = True
    suspended.brand.save(update_fields=["is_suspended"])
    ids = [p["id"] for p in anon_client.get("/api/v1/products/").json()["results"]]
    assert hidden.pk not in ids and suspended.pk not in ids
    assert anon_client.get(f"/api/v1/products/{hidden.pk}/").status_code == 404
    assert client_for(brand).get(f"/api/v1/products/{hidden.pk}/").status_code == 200


def test_product_list_query_count_is_bounded(anon_client, django_assert_max_num_queries):
    for i in range(12):
        make_product(name=f"P{i}", variants=(("a", "1.00", 1), ("b", "2.00", 2)))
    with django_assert_max_num_queries(6):
        response = anon_client.get("/api/v1/products/?page_size=50")
    assert len(response.json()["results"]) == 12


def test_product_list_pages_by_cursor(anon_client):
    for i in range(5):
        make_product(name=f"P{i}")
    first = anon_client.get("/api/v1/products/?page_size=2&ordering=price").json()
    assert len(first["results"]) == 2 and first["next"]
    second = anon_client.get(first["next"]).json()
    assert {p["id"] for p in first["results"]}.isdisjoint({p["id"] for p in second["results"]})


def _note(author, product, **counts):
    note = Note.objects.create(author=author, title="Love it", body="so good", **counts)
    note.products.add(product)
    return note


def test_product_detail_has_notes_most_helpful_first_and_verified_buyers(
    anon_client, product, variant, django_assert_max_num_queries
):
    buyer = UserFactory()
    order = paid_order(buyer, variant)
    order.status = "delivered"
    order.save(update_fields=["status"])
    plain = _note(UserFactory(), product, like_count=50)
    bought = _note(buyer, product, like_count=1, save_count=3)
    services.product_notes_count_refresh(product_ids=[product.pk])
    with django_assert_max_num_queries(16):
        response = anon_client.get(f"/api/v1/products/{product.pk}/")
    data = response.json()
    assert data["notes_count"] == 2
    assert [n["id"] for n in data["notes"]] == [plain.pk, bought.pk]
    assert [n["verified_buyer"] for n in data["notes"]] == [False, True]
    only = anon_client.get(f"/api/v1/products/{product.pk}/notes/?buyers=1").json()
    assert [n["id"] for n in only["results"]] == [bought.pk]


def test_verified_buyer_note_ids_needs_a_delivered_order_of_that_product(product, variant):
    from shop.selectors import verified_buyer_note_ids

    buyer = UserFactory()
    paid_order(buyer, variant)  # paid, not delivered yet
    other_product = make_product(product.brand, name="Other")
    note = _note(buyer, product)
    other = _note(buyer, other_product)
    assert verified_buyer_note_ids(notes=[note, other]) == set()
    buyer.orders.update(status="delivered")
    assert verified_buyer_note_ids(notes=[note, other]) == {note.pk}
    assert verified_buyer_note_ids(notes=[note], product_id=other_product.pk) == set()


def test_product_detail_404_for_unknown(anon_client):
    assert anon_client.get("/api/v1/products/999999/").status_code == 404
    assert anon_client.get("/api/v1/products/abc/").status_code == 404


@pytest.fixture(autouse=True)
def _serums(db):
    """PAYLOAD's category: staff create categories, brands pick them."""
    Category.objects.get_or_create(slug="serums", defaults={"name": "Serums"})


PAYLOAD = {
    "name": "Silk serum",
    "description": "light",
    "category": "Serums",
    "variants": [{"name": "30 ml", "price": "159.00", "stock": 7}, {"name": "50 ml", "price": "239", "stock": 0}],
}


def test_brand_creates_product(brand_client, brand):
    response = brand_client.post("/api/v1/products/", PAYLOAD, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["brand"]["username"] == brand.username
    assert (data["price_min"], data["price_max"]) == ("159.00", "239.00")
    assert [v["in_stock"] for v in data["variants"]] == [True, False]
    assert data["category"] == "serums" and data["category_name"] == "Serums"


def test_personal_and_anonymous_accounts_cannot_create_products(api_client, anon_client):
    assert api_client.post("/api/v1/products/", PAYLOAD, format="json").status_code == 403
    assert anon_client.post("/api/v1/products/", PAYLOAD, format="json").status_code == 401
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"variants": []},
        {"variants": [{"name": "x", "price": "0", "stock": 1}]},
        {"variants": [{"name": "x", "price": "abc", "stock": 1}]},
        {"variants": [{"name": "x", "price": "1.00", "stock": -1}]},
        {"variants": "nope"},
    ],
)
def test_bad_product_input_is_400_and_saves_nothing(brand_client, change):
    response = brand_client.post("/api/v1/products/", {**PAYLOAD, **change}, format="json")
    assert response.status_code == 400, response.content
    assert not Product.objects.exists()


def test_brand_patches_own_product_not_others(brand_client, product, variant):
    response = brand_client.patch(
        f"/api/v1/products/{product.pk}/",
        {
            "name": "New name",
            "variants": [
                {"id": variant.pk, "price": "99.00", "stock": 3},
                {"name": "Mini", "price": "39.00", "stock": 2},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["name"] == "New name" and data["price_min"] == "39.00"
    assert {v["name"]: v["stock"] for v in data["variants"]} == {"50 ml": 3, "100 ml": 5, "Mini": 2}

    other_brand = client_for(BrandFactory())
    assert other_brand.patch(f"/api/v1/products/{product.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client_for(UserFactory()).patch(f"/api/v1/products/{product.pk}/", {"name": "x"}).status_code == 403
    foreign = make_product(BrandFactory())
    bad = brand_client.patch(
        f"/api/v1/products/{product.pk}/",
        {"variants": [{"id": foreign.variants.first().pk, "stock": 1}]},
        format="json",
    )
    assert bad.status_code == 400
    product.refresh_from_db()
    assert product.name == "New name"


def test_product_create_with_images_multipart(brand_client):
    import io
    import json

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "p.png"
    response = brand_client.post(
        "/api/v1/products/",
        {"name": "Pic", "variants": json.dumps(PAYLOAD["variants"]), "images": [buffer]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    image = response.json()["images"][0]
    assert image["width"] == 800 and image["url"].endswith(".jpg") and image["thumb_url"]


def test_notes_count_refresh_counts_public_notes_only(product):
    _note(UserFactory(), product)
    hidden = _note(UserFactory(), product)
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    services.product_notes_count_refresh(product_ids=[product.pk])
    product.refresh_from_db()
    assert product.notes_count == 1


def test_notes_count_follows_note_create_and_delete(product):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from posts.services import note_create, note_delete

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, format="PNG")
    author = UserFactory()
    photo = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    note = note_create(author=author, title="Nice", images=[photo], product_ids=[product.pk])
    product.refresh_from_db()
    assert product.notes_count == 1
    note_delete(note=note, actor=author)
    product.refresh_from_db()
    assert product.notes_count == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"variants": PAYLOAD["variants"]},
        {"name": "x"},
        {**PAYLOAD, "category": ["a"]},
        {**PAYLOAD, "name": 5 * "x" * 30},
    ],
)
def test_incomplete_or_odd_product_payloads_are_400(brand_client, payload):
    assert brand_client.post("/api/v1/products/", payload, format="json").status_code == 400
    assert not Product.objects.exists()


def test_patch_stock_add_applies_to_the_current_count(brand_client, variant):
    response = brand_client.patch(
        f"/api/v1/products/{variant.product_id}/", {"variants": [{"id": variant.pk, "stock_add": -4}]}, format="json"
    )
    assert response.status_code == 200
    variant.refresh_from_db()
    assert variant.stock == 6
    bad = {"variants": [{"id": variant.pk, "stock_add": "lots"}]}
    assert brand_client.patch(f"/api/v1/products/{variant.product_id}/", bad, format="json").status_code == 400


def test_notes_count_follows_moderation_take_down_and_restore(product):
    from moderation.services import target_restore, target_take_down

    note = _note(UserFactory(), product)
    services.product_notes_count_refresh(product_ids=[product.pk])
    moderator = UserFactory(is_staff=True, is_superuser=True)
    target_take_down(target_type="note", target_id=note.pk, moderator=moderator)
    product.refresh_from_db()
    assert product.notes_count == 0
    target_restore(target_type="note", target_id=note.pk, moderator=moderator)
    product.refresh_from_db()
    assert product.notes_count == 1
