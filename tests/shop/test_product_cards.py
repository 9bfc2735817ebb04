"""The product list's cached summaries (shop/product_cards.py): per-viewer fields stay per
viewer, and every change a summary shows reaches the next list."""

import pytest

from accounts.services import follow_create
from shop import services
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import upload
from tests.shop.conftest import make_product, paid_order, place_order

pytestmark = pytest.mark.django_db


def _listed(client, product_id) -> dict:
    rows = client.get("/api/v1/products/?page_size=50").json()["results"]
    return next(row for row in rows if row["id"] == product_id)


def test_a_second_page_read_comes_from_the_cache(anon_client, django_assert_max_num_queries):
    for i in range(8):
        make_product(name=f"P{i}", variants=(("a", "1.00", 1), ("b", "2.00", 2)))
    anon_client.get("/api/v1/products/?page_size=50")
    with django_assert_max_num_queries(1):  # the page's ids; the summaries are cached
        response = anon_client.get("/api/v1/products/?page_size=50")
    assert len(response.json()["results"]) == 8


def test_stock_is_the_brands_and_followed_by_me_the_viewers_from_one_cached_summary(brand):
    product = make_product(brand, variants=(("50 ml", "129.00", 10),), images=[upload("jar.jpg")])
    follower, stranger = UserFactory(), UserFactory()
    follow_create(follower=follower, followee=brand)
    seen = {who: _listed(client_for(who), product.pk) for who in (brand, follower, stranger)}
    assert seen[brand]["variants"][0]["stock"] == 10
    assert "stock" not in seen[follower]["variants"][0] and "stock" not in seen[stranger]["variants"][0]
    assert seen[follower]["brand"]["followed_by_me"] is True
    assert seen[stranger]["brand"]["followed_by_me"] is False
    image = seen[stranger]["images"][0]  # cached with site paths, served absolute
    assert image["url"].startswith("http://testserver/media/") and image["thumb_url"].startswith("http://testserver/")


def test_an_edit_a_sale_and_a_sell_out_show_at_the_next_list(brand, anon_client):
    product = make_product(brand, variants=(("50 ml", "129.00", 2),))
    variant = product.variants.get()
    assert _listed(anon_client, product.pk)["sold_count"] == 0  # cached from here on
    services.product_update(product_id=product.pk, actor=brand, name="Renamed cream")
    assert _listed(anon_client, product.pk)["name"] == "Renamed cream"
    paid_order(UserFactory(), variant, quantity=1, key="one")
    row = _listed(anon_client, product.pk)
    assert row["sold_count"] == 1 and row["variants"][0]["only_left"] == 1
    place_order(UserFactory(), variant, quantity=1, key="two")  # the last unit, held
    assert _listed(anon_client, product.pk)["variants"][0]["in_stock"] is False
