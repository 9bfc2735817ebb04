"""Every list of API.md: `{"results", "next"}`, cursor pages without duplicates or gaps,
`?page_size=` honoured up to 50 and nonsense page sizes never a 5xx."""

import pytest

from tests.conftest import client_for
from tests.contract.conftest import ADDRESS, api, assert_list, collect_ids, jpeg
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db

N = 5


@pytest.fixture
def world():
    from accounts import services as account_services
    from posts import services as post_services
    from shop import orders
    from shop import services as shop_services
    from shop.models import Cart

    star, brand = UserFactory(username="star"), BrandFactory(username="shopco")
    fans = [UserFactory() for _ in range(N)]
    notes = [
        post_services.note_create(author=star, title=f"n{i}", body="#pagetag", images=[jpeg(f"{i}.jpg", (20, 20))])
        for i in range(N)
    ]
    for fan in fans:
        account_services.follow_create(follower=fan, followee=star)
        account_services.follow_create(follower=star, followee=fan)
        post_services.comment_create(author=fan, note=notes[0], body="hi")
        post_services.note_create(author=fan, title="fan", body="", images=[jpeg("f.jpg", (20, 20))])
    board = post_services.collection_create(owner=star, name="all", is_private=False)
    for note in notes:
        post_services.note_save(user=star, note=note, collection_id=board.pk)
    products = [
        shop_services.product_create(brand=brand, name=f"p{i}", variants=[{"name": "v", "price": "9.00", "stock": 50}])
        for i in range(N)
    ]
    cart, _ = Cart.objects.get_or_create(user=star)
    for i, product in enumerate(products):
        shop_services.cart_item_add(cart=cart, variant_id=product.variants.get().pk, quantity=1)
        orders.order_checkout(buyer=star, idempotency_key=f"k{i}", shipping_address=ADDRESS)
    return {"star": client_for(star), "brand": client_for(brand), "note": notes[0].pk, "board": board.pk}


LISTS = [
    ("star", "users/star/followers/"),
    ("star", "users/star/following/"),
    ("star", "users/star/notes/"),
    ("star", "notes/{note}/comments/"),
    ("star", "collections/{board}/notes/"),
    ("star", "tags/pagetag/notes/?sort=new"),
    ("star", "tags/pagetag/notes/?sort=hot"),
    ("star", "feeds/follow/"),
    ("star", "products/"),
    ("star", "products/?ordering=price"),
    ("star", "orders/"),
    ("brand", "brand/orders/"),
]


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_cursor_pages_cover_the_list_exactly_once(world, who, path):
    client = world[who]
    url = api(path.format(**world))
    everything = [row.get("id", row.get("username")) for row in assert_list(client.get(url))]
    assert everything, f"{path} is empty in this world"
    sep = "&" if "?" in url else "?"
    first = client.get(f"{url}{sep}page_size=2").json()
    assert len(first["results"]) == min(2, len(everything))
    if len(everything) > 2:
        assert first["next"], f"{path}: no next cursor"
    walked = []
    next_url, pages = f"{url}{sep}page_size=2", 0
    while next_url and pages < 20:
        body = client.get(next_url).json()
        walked += [row.get("id", row.get("username")) for row in body["results"]]
        next_url, pages = body["next"], pages + 1
    assert walked == everything, path
    for size in ("1000", "0", "-3", "abc"):
        response = client.get(f"{url}{sep}page_size={size}")
        assert response.status_code in (200, 400), (path, size, response.status_code)


def test_page_size_caps_at_50(db):
    from posts import services as post_services

    author = UserFactory(username="prolific")
    for i in range(60):
        post_services.note_create(author=author, title=f"n{i}", body="", images=[jpeg(f"{i}.jpg", (16, 16))])
    client = client_for(UserFactory())
    assert len(assert_list(client.get(api("users/prolific/notes/?page_size=50")))) == 50
    assert len(assert_list(client.get(api("users/prolific/notes/?page_size=51")))) == 50
    assert len(assert_list(client.get(api("users/prolific/notes/")))) <= 50
    ids = collect_ids(client, api("users/prolific/notes/?page_size=50"))
    assert len(ids) == 60 == len(set(ids))
