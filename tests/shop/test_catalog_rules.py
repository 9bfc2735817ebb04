"""Site-wide categories are staff's; exact stock is the selling brand's."""

import pytest

from shop.models import Category, Product
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import make_product, put_in_cart

pytestmark = pytest.mark.django_db


def _variant_payload(**fields):
    return {"name": "Balm", "variants": [{"name": "Tin", "price": "68.00", "stock": 12}], **fields}


# --- Categories ---------------------------------------------------------------------------------


def test_brand_picks_an_existing_category_by_id_slug_or_name(brand_client):
    lips = Category.objects.create(slug="lips", name="Lips")
    for value in (lips.pk, str(lips.pk), "lips", "LIPS"):
        response = brand_client.post("/api/v1/products/", _variant_payload(category=value), format="json")
        assert response.status_code == 201, response.content
        assert response.json()["category"] == "lips"
    assert Category.objects.count() == 1


def test_brand_cannot_create_a_category_by_api_or_edit(brand_client, brand):
    response = brand_client.post("/api/v1/products/", _variant_payload(category="My brand's best"), format="json")
    assert response.status_code == 400 and "category" in response.json()
    assert not Product.objects.exists()
    product = make_product(brand)
    response = brand_client.patch(f"/api/v1/products/{product.pk}/", {"category": "Brand new"}, format="json")
    assert response.status_code == 400 and "category" in response.json()
    assert not Category.objects.exists()


def test_product_form_offers_only_existing_categories(client, brand):
    Category.objects.create(slug="lips", name="Lips")
    client.force_login(brand)
    page = client.get("/shop/manage/products/new/").content.decode()
    assert ">Lips</option>" in page
    form = {
        "name": "Glow balm",
        "description": "",
        "category": "Invented",
        "is_listed": "on",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "30",
        "variants-0-name": "Tin",
        "variants-0-price": "68.00",
        "variants-0-stock": "12",
    }
    response = client.post("/shop/manage/products/new/", form)
    assert response.status_code == 400 and "Lips" in response.content.decode()  # the form again
    assert not Product.objects.exists() and Category.objects.count() == 1


# --- Exact stock ---------------------------------------------------------------------------------


def _variants(client, product):
    return client.get(f"/api/v1/products/{product.pk}/").json()["variants"]


def test_exact_stock_only_for_the_brand_and_staff(anon_client, brand):
    product = make_product(brand, variants=(("Plenty", "10.00", 50), ("Low", "10.00", 3), ("None", "10.00", 0)))
    shoppers = [anon_client, client_for(UserFactory()), client_for(BrandFactory())]
    for client in shoppers:
        variants = _variants(client, product)
        assert all("stock" not in v for v in variants)
        assert [(v["in_stock"], v["only_left"]) for v in variants] == [(True, None), (True, 3), (False, None)]
        listed = client.get("/api/v1/products/").json()["results"][0]["variants"]
        assert all("stock" not in v for v in listed)
    for insider in (client_for(brand), client_for(UserFactory(is_staff=True))):
        assert [v["stock"] for v in _variants(insider, product)] == [50, 3, 0]


def test_cart_lines_tell_low_stock_not_exact_stock(user, api_client):
    product = make_product(variants=(("Plenty", "10.00", 50), ("Low", "10.00", 4)))
    for variant in product.variants.all():
        put_in_cart(user, variant)
    items = api_client.get("/api/v1/cart/").json()["items"]
    assert [(i["in_stock"], i["only_left"]) for i in items] == [(True, None), (True, 4)]
    assert all("stock" not in i for i in items)


def test_product_page_says_only_n_left_when_low_and_hides_exact_stock(client, brand):
    product = make_product(brand, variants=(("Plenty", "10.00", 57), ("Low", "10.00", 3)))
    page = client.get(f"/shop/products/{product.pk}/").content.decode()
    assert "57" not in page
    assert 'data-stock="99"' in page and 'data-stock="3"' in page
    assert "Only 3 left" in page
