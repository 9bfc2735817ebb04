"""GTINs: check digits, one stored form, unique across products and variants, found by any."""

import pytest
from django.core.exceptions import ValidationError

from shop import selectors
from shop import services as shop_services
from shop.gtin import gtin_parse
from shop.models import Product
from tests.conftest import client_for
from tests.factories import BrandFactory
from tests.partners.conftest import EAN13, GTIN14
from tests.shop.conftest import make_product


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("96385074", "00000096385074"),  # EAN-8
        ("036000291452", "00036000291452"),  # UPC-A
        ("4006381333931", "04006381333931"),  # EAN-13
        ("10614141000415", "10614141000415"),  # GTIN-14
        (" 4006-3813 33931 ", "04006381333931"),  # as printed, spaces and hyphens
    ],
)
def test_valid_gtins_are_stored_in_their_14_digit_form(typed, stored):
    assert gtin_parse(typed) == stored


@pytest.mark.parametrize(
    "typed", ["4006381333932", "036000291453", "1234567", "123456789012345", "40063813339३1", "abc", "", None, True]
)
def test_wrong_check_digits_lengths_and_characters_are_refused(typed):
    assert gtin_parse(typed) is None


def test_product_api_takes_a_gtin_and_refuses_a_bad_check_digit(db):
    brand = BrandFactory()
    client = client_for(brand)
    body = {"name": "Cream", "variants": [{"name": "50 ml", "price": "10.00", "stock": 1, "gtin": "96385074"}]}
    bad = client.post("/api/v1/products/", {**body, "gtin": "4006381333932"}, format="json")
    assert bad.status_code == 400
    assert "gtin" in bad.json()
    created = client.post("/api/v1/products/", {**body, "gtin": EAN13}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["gtin"] == EAN13  # stored as GTIN14, shown as printed
    assert created.json()["variants"][0]["gtin"] == "96385074"
    product = Product.objects.get(pk=created.json()["id"])
    assert product.gtin == GTIN14


def test_a_gtin_is_unique_across_products_and_variants(db):
    make_product(gtin=EAN13)
    with pytest.raises(ValidationError):
        make_product(name="Copy", gtin="0" + EAN13)  # the GTIN-14 spelling of the same code
    with pytest.raises(ValidationError):
        shop_services.product_create(
            brand=BrandFactory(), name="Other", variants=[{"name": "x", "price": "1.00", "stock": 1, "gtin": EAN13}]
        )
    with pytest.raises(ValidationError):  # two variants of one product
        two = [{"name": n, "price": "1.00", "stock": 1, "gtin": "96385074"} for n in ("a", "b")]
        shop_services.product_create(brand=BrandFactory(), name="Twins", variants=two)


def test_a_product_is_found_by_its_own_gtin_or_a_variants_in_any_spelling(db):
    product = shop_services.product_create(
        brand=BrandFactory(),
        name="Serum",
        gtin="036000291452",
        variants=[{"name": "30 ml", "price": "1.00", "stock": 1, "gtin": "96385074"}],
    )
    for typed in ("036000291452", "0036000291452", "96385074", "00000096385074"):
        assert selectors.product_find_by_gtin(typed) == product
    assert selectors.product_find_by_gtin("4006381333931") is None


def test_search_and_the_product_list_find_a_product_by_gtin(db, anon_client):
    product = make_product(name="Hydra cream", gtin=EAN13)
    make_product(name="Other cream")
    listed = anon_client.get("/api/v1/products/", {"q": EAN13}).json()["results"]
    assert [p["id"] for p in listed] == [product.pk]
    found = anon_client.get("/api/v1/search/", {"q": EAN13, "type": "products"})
    assert found.status_code == 200
    assert [p["id"] for p in found.json()["results"]] == [product.pk]


def test_the_brands_product_form_saves_and_checks_the_gtin(db):
    from django.test import Client

    brand = BrandFactory()
    product = make_product(brand)
    client = Client()
    client.force_login(brand)
    variant = product.variants.get()
    form = {
        "name": product.name,
        "description": "",
        "category": "",
        "gtin": "4006381333932",
        "is_listed": "on",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "1",
        "variants-MIN_NUM_FORMS": "1",
        "variants-MAX_NUM_FORMS": "30",
        "variants-0-id": str(variant.pk),
        "variants-0-product": str(product.pk),
        "variants-0-name": variant.name,
        "variants-0-price": str(variant.price),
        "variants-0-stock": str(variant.stock),
        "initial-variants-0-stock": str(variant.stock),
        "variants-0-gtin": "",
    }
    url = f"/shop/manage/products/{product.pk}/edit/"
    refused = client.post(url, form)
    assert refused.status_code == 400
    product.refresh_from_db()
    assert product.gtin == ""
    saved = client.post(url, {**form, "gtin": EAN13})
    assert saved.status_code == 302
    product.refresh_from_db()
    assert product.gtin == GTIN14
    assert EAN13 in client.get(url).content.decode()  # shown as printed under the barcode
