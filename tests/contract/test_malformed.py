"""About forty malformed requests across the API: each a 4xx with a JSON body, never a 5xx."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contract.conftest import api, assert_error, jpeg
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
BAD_JSON = b'{"title": "unterminated'

# (method, path, body, content type or "json"/"multipart", who: anon|user|brand, allowed statuses)
CASES = [
    # Accounts
    ("post", "auth/register/", {"username": ["a"], "password": 5}, "json", "anon", (400,)),
    ("post", "auth/register/", {"username": HUGE, "password": "Contract-pass-2024!"}, "json", "anon", (400,)),
    ("post", "auth/register/", {"username": "bad name!", "password": "Contract-pass-2024!"}, "json", "anon", (400,)),
    ("post", "auth/register/", BAD_JSON, "application/json", "anon", (400,)),
    ("post", "auth/register/", b"[1, 2, 3]", "application/json", "anon", (400,)),
    ("post", "auth/register/", b"<xml/>", "application/xml", "anon", (415,)),
    ("post", "auth/token/", {}, "json", "anon", (400,)),
    ("post", "auth/token/", {"username": None, "password": None}, "json", "anon", (400,)),
    ("patch", "me/", {"display_name": HUGE}, "json", "user", (400,)),
    ("patch", "me/", {"bio": {"nested": True}}, "json", "user", (400,)),
    ("patch", "me/", {"avatar": "not-a-file"}, "json", "user", (400, 415)),
    ("post", "users/%00/follow/", None, "json", "user", (400, 404)),
    ("get", "users/" + "u" * 5000 + "/", None, "json", "anon", (404, 400)),
    # Notes
    ("post", "notes/", {"title": "t"}, "json", "user", (400, 415)),
    ("post", "notes/", {"title": HUGE, "images": "x"}, "json", "user", (400, 415)),
    ("post", "notes/", {"title": "t", "images": [jpeg()], "lat": "north"}, "multipart", "user", (400,)),
    ("post", "notes/", {"title": "t", "images": [jpeg()], "lat": "95", "lng": "0"}, "multipart", "user", (400,)),
    ("post", "notes/", {"title": "t", "images": [jpeg()], "product_ids": "abc"}, "multipart", "user", (400,)),
    ("post", "notes/", {"title": "t", "images": [jpeg()], "product_ids": "999999999"}, "multipart", "user", (400, 404)),
    ("post", "notes/", BAD_JSON, "application/json", "user", (400,)),
    ("post", "notes/", b"plain text", "text/plain", "user", (415,)),
    ("get", "notes/abc/", None, "json", "anon", (404,)),
    ("get", "notes/99999999999999999999999/", None, "json", "anon", (404,)),
    ("post", "notes/1/comments/", {"body": 12}, "json", "user", (400, 404)),
    ("post", "notes/{note}/comments/", {}, "json", "user", (400,)),
    ("post", "notes/{note}/comments/", {"body": HUGE}, "json", "user", (400,)),
    ("post", "notes/{note}/comments/", {"body": "x", "parent_id": "abc"}, "json", "user", (400,)),
    ("get", "notes/{note}/comments/?parent_id=abc", None, "json", "anon", (400,)),
    ("post", "notes/{note}/save/", {"collection_id": "abc"}, "json", "user", (400,)),
    ("post", "notes/{note}/save/", {"collection_id": 999999999}, "json", "user", (400, 404)),
    ("post", "collections/", {"name": HUGE}, "json", "user", (400,)),
    ("post", "collections/", {"name": "x", "is_private": "maybe"}, "json", "user", (400,)),
    ("get", "collections/abc/notes/", None, "json", "anon", (404,)),
    ("delete", "comments/abc/", None, "json", "user", (404,)),
    # Feeds
    ("get", "feeds/explore/?cursor=%%%%", None, "json", "user", (400, 404)),
    ("get", "feeds/follow/?cursor=bm90LWEtY3Vyc29y", None, "json", "user", (400, 404)),
    ("get", "feeds/nearby/?lat=1e400&lng=0", None, "json", "anon", (400,)),
    ("post", "feeds/not-interested/", {"note_id": "abc"}, "json", "user", (400,)),
    ("post", "feeds/not-interested/", {"note_id": [1, 2]}, "json", "user", (400,)),
    # Shop
    ("post", "products/", {"name": "x", "variants": "not a list"}, "json", "brand", (400,)),
    (
        "post",
        "products/",
        {"name": "x", "variants": [{"name": "a", "price": "-1", "stock": 1}]},
        "json",
        "brand",
        (400,),
    ),
    (
        "post",
        "products/",
        {"name": "x", "variants": [{"name": "a", "price": "abc", "stock": "many"}]},
        "json",
        "brand",
        (400,),
    ),
    (
        "post",
        "products/",
        {"name": "x", "variants": [{"name": "a", "price": "1e30", "stock": 1}]},
        "json",
        "brand",
        (400,),
    ),
    ("post", "products/", {"name": "", "variants": []}, "json", "brand", (400,)),
    (
        "post",
        "products/",
        {"name": "x", "variants": [{"name": "a", "price": "1", "stock": 1}], "category": {"a": 1}},
        "json",
        "brand",
        (400,),
    ),
    ("get", "products/?ordering=drop_table", None, "json", "anon", (400,)),
    ("get", "products/?cursor=garbage", None, "json", "anon", (400, 404)),
    ("post", "cart/items/", {}, "json", "user", (400,)),
    ("post", "cart/items/", {"variant_id": "abc", "quantity": 1}, "json", "user", (400, 404)),
    ("post", "cart/items/", {"variant_id": {"a": 1}, "quantity": 1}, "json", "user", (400, 404)),
    ("post", "cart/items/", {"variant_id": 1, "quantity": 10**12}, "json", "user", (400, 404, 409)),
    ("patch", "cart/items/abc/", {"quantity": 1}, "json", "user", (404,)),
    ("post", "checkout/", BAD_JSON, "application/json", "user", (400,)),
    ("post", "orders/abc/pay/", {"card_number": "4242424242424242"}, "json", "user", (404,)),
    ("post", "orders/{order}/pay/", {}, "json", "user", (400, 402)),
    ("post", "orders/{order}/pay/", {"card_number": ["4242"]}, "json", "user", (400, 402)),
    ("post", "brand/orders/{order}/ship/", {"tracking_number": HUGE}, "json", "brand", (400,)),
    # Trust and safety, search
    ("post", "reports/", {"target_type": "note", "target_id": HUGE, "reason": "spam"}, "json", "user", (400, 404)),
    (
        "post",
        "reports/",
        {"target_type": "note", "target_id": "{note}", "reason": "spam", "detail": HUGE},
        "json",
        "user",
        (400,),
    ),
    # NUL bytes (Postgres text cannot hold them) and unknown API paths
    ("get", "users/%00/", None, "json", "anon", (400, 404)),
    ("get", "tags/%00/notes/", None, "json", "anon", (400, 404)),
    ("post", "comments/{note}/", None, "json", "user", (404, 405)),
    ("post", "me", {"bio": "x"}, "json", "user", (404, 405)),
    ("get", "no-such-endpoint/", None, "json", "anon", (404,)),
    # Broken bodies
    ("post", "notes/", b"--xx\r\nbroken", "multipart/form-data; boundary=xx", "user", (400, 415)),
    ("post", "notes/", b"title=x", "multipart/form-data", "user", (400, 415)),
    ("post", "auth/register/", b'\xff\xfe{"a": 1}', "application/json", "anon", (400,)),
    ("post", "checkout/", b'{"shipping_address": {"name": NaN}}', "application/json", "user", (400,)),
    ("post", "cart/items/", b'{"variant_id": 1e999, "quantity": 1}', "application/json", "user", (400, 404)),
    ("patch", "me/", b"bio=%ZZ%00", "application/x-www-form-urlencoded", "user", (400,)),
    (
        "post",
        "auth/register/",
        b'{"username": "' + b"u" * (11 * 1024 * 1024) + b'"}',
        "application/json",
        "anon",
        (400, 413),
    ),
    ("patch", "me/", b"bio=" + b"b" * (11 * 1024 * 1024), "application/x-www-form-urlencoded", "user", (400, 413)),
    (
        "patch",
        "me/",
        "&".join(f"f{i}=x" for i in range(1200)).encode(),
        "application/x-www-form-urlencoded",
        "user",
        (400,),
    ),
    (
        "post",
        "notes/",
        {"title": "t", "images": [jpeg(f"{i}.jpg", (8, 8)) for i in range(101)]},
        "multipart",
        "user",
        (400, 413),
    ),
]


@pytest.fixture
def world():
    from posts import services as post_services
    from shop import orders
    from shop import services as shop_services
    from shop.models import Cart

    user, other, brand = UserFactory(), UserFactory(), BrandFactory()
    note = post_services.note_create(author=other, title="target", body="", images=[jpeg()])
    product = shop_services.product_create(
        brand=brand, name="P", variants=[{"name": "v", "price": "10.00", "stock": 5}]
    )
    cart, _ = Cart.objects.get_or_create(user=user)
    shop_services.cart_item_add(cart=cart, variant_id=product.variants.first().pk, quantity=1)
    order, _ = orders.order_checkout(
        buyer=user,
        idempotency_key="malformed",
        shipping_address={
            "name": "A",
            "phone": "1380000",
            "line1": "x",
            "city": "y",
            "postal_code": "1",
            "country": "CN",
        },
    )
    orders.order_pay(order_id=order.pk, buyer=user, card_number="4242424242424242")
    return {
        "user": client_for(user),
        "brand": client_for(brand),
        "anon": APIClient(),
        "ids": {"note": note.pk, "order": order.pk},
    }


def test_there_are_about_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "who", "statuses"),
    CASES,
    ids=[f"{c[0]}-{c[1][:40]}-{i}" for i, c in enumerate(CASES)],
)
def test_malformed_request_is_a_clean_4xx(world, method, path, body, content_type, who, statuses):
    client = world[who]
    path = path.format(**world["ids"]) if "{" in path else path
    if isinstance(body, dict):
        body = {k: (v.format(**world["ids"]) if isinstance(v, str) and "{" in v else v) for k, v in body.items()}
    call = getattr(client, method)
    if body is None:
        response = call(api(path))
    elif content_type in ("json", "multipart"):
        response = call(api(path), body, format=content_type)
    else:
        response = call(api(path), body, content_type=content_type)
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert_error(response, *statuses)


@pytest.mark.parametrize(
    "path",
    [
        "products/?q=%00",
        "products/?brand=%00",
        "products/?category=a%00b",
        "feeds/explore/?channel=%00",
        "collections/?username=%00",
        "search/?q=a%00b",
        "search/suggest/?q=%00",
        "tags/x/notes/?sort=%00",
        "feeds/nearby/?lat=1%00&lng=2",
    ],
)
def test_nul_bytes_in_the_query_are_never_a_5xx(db, path):
    response = APIClient().get(api(path))
    assert response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert_error(response, response.status_code)
