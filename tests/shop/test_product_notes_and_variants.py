"""A product's notes: the community's first, the brand's own labelled, a filter; distinct variant names."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from shop import selectors
from shop.models import Variant
from tests.factories import UserFactory
from tests.shop.conftest import make_product
from tests.shop.test_catalog import _note

pytestmark = pytest.mark.django_db


def _notes(product):
    """The brand's popular note, and two community notes (one more helpful)."""
    own = _note(product.brand, product, like_count=500)
    liked = _note(UserFactory(), product, like_count=9)
    quiet = _note(UserFactory(), product, like_count=1)
    return own, liked, quiet


def test_community_notes_come_before_the_brands_own(product, anon_client):
    own, liked, quiet = _notes(product)
    ordered = selectors.product_notes(product=product, viewer=None)
    assert [n.pk for n in ordered] == [liked.pk, quiet.pk, own.pk]
    data = anon_client.get(f"/api/v1/products/{product.pk}/").json()["notes"]
    assert [(n["id"], n["from_brand"]) for n in data] == [(liked.pk, False), (quiet.pk, False), (own.pk, True)]


def test_notes_api_filters_by_source(product, anon_client):
    own, liked, quiet = _notes(product)
    url = f"/api/v1/products/{product.pk}/notes/"
    assert {n["id"] for n in anon_client.get(url + "?from=community").json()["results"]} == {liked.pk, quiet.pk}
    brand_only = anon_client.get(url + "?from=brand").json()["results"]
    assert [(n["id"], n["from_brand"]) for n in brand_only] == [(own.pk, True)]
    assert len(anon_client.get(url).json()["results"]) == 3
    bad = anon_client.get(url + "?from=friends")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_source"


@pytest.mark.parametrize(("query", "shown"), [("", 3), ("?notes=community", 2), ("?notes=brand", 1), ("?notes=x", 3)])
def test_product_page_labels_the_brands_notes_and_filters(product, query, shown, django_assert_max_num_queries):
    _notes(product)
    browser = Client()
    with django_assert_max_num_queries(14):
        html = browser.get(f"/shop/products/{product.pk}/{query}").content.decode()
    assert html.count('class="community-note') == shown
    assert html.count('class="brand-badge"') == (1 if shown != 2 else 0)
    assert 'data-notes-filter="brand"' in html


def test_variant_names_must_differ_on_create_whatever_the_case(brand):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_product(brand, variants=(("50 ml", "10.00", 1), ("50 ML ", "12.00", 1)))
    assert "used twice" in str(caught.value)
    assert not Variant.objects.exists()


def test_variant_names_must_differ_on_edit_api_400_and_nothing_changes(product, brand_client):
    small, large = product.variants.order_by("position")
    url = f"/api/v1/products/{product.pk}/"
    response = brand_client.patch(url, {"variants": [{"id": large.pk, "name": "50 ml"}]}, format="json")
    assert response.status_code == 400 and "variants" in response.json()
    response = brand_client.patch(url, {"variants": [{"name": "50 ML", "price": "1.00", "stock": 1}]}, format="json")
    assert response.status_code == 400
    assert sorted(product.variants.values_list("name", flat=True)) == ["100 ml", "50 ml"]
    # Swapping two names in one edit is fine: the constraint is checked at commit.
    swap = [{"id": small.pk, "name": "100 ml"}, {"id": large.pk, "name": "50 ml"}]
    assert brand_client.patch(url, {"variants": swap}, format="json").status_code == 200
    small.refresh_from_db()
    assert small.name == "100 ml"


def test_product_form_shows_the_duplicate_name_error(brand):
    browser = Client()
    browser.force_login(brand)
    form = {
        "name": "Lip tint",
        "description": "",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-0-name": "Rose",
        "variants-0-price": "59.00",
        "variants-0-stock": "3",
        "variants-1-name": "rose",
        "variants-1-price": "59.00",
        "variants-1-stock": "3",
    }
    response = browser.post("/shop/manage/products/new/", form)
    assert "is used twice" in response.content.decode()


def test_the_database_refuses_a_repeated_name(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.create(product=product, name="50 ml", price="1.00", stock=1)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
