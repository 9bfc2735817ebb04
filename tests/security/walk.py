"""Every endpoint of the app, read from the URL resolver, with a small world to point at.

The bad-input walks (tests/security/test_bad_input_walk.py) take their endpoints from
here, not from a list kept by hand: an endpoint added later is walked too.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory

# Ids and numbers that str.isdigit() accepts and int() misreads or refuses, and their kin.
UNICODE_DIGITS = ["²", "①", "٣", "１２", "߃", "𝟓", "৩"]
BAD_NUMBERS = [*UNICODE_DIGITS, "9" * 25, "-1", "NaN", "Infinity", "1e400", "1_000", "0x1f"]
# Parts of the URL space this app does not own, or that take no ids.
SKIPPED_PREFIXES = ("admin/", "media/", "i18n/", "api/schema/", "api/docs/", "accounts/reset/")
_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Endpoint:
    route: str  # "api/v1/notes/<int:note_id>/like/"
    callback: object

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in _PARAM.finditer(self.route)]

    @property
    def methods(self) -> list[str]:
        """The HTTP methods the view answers (a DRF view says; a page takes GET and POST)."""
        view_class = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        if view_class is None:
            return ["get", "post"]
        return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]

    def url(self, values: dict) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m.group("name")]), self.route)

    def __str__(self):
        return self.route


def _walk(patterns, prefix: str):
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # re_path: the /api/ catch-all and media, which take no ids
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield Endpoint(route, entry.callback)


def endpoints() -> list[Endpoint]:
    found = {e.route: e for e in _walk(get_resolver().url_patterns, "") if not e.route.startswith(SKIPPED_PREFIXES)}
    return sorted(found.values(), key=str)


def build_world() -> dict:
    """A user with a cart, an order and a board; another user's note with a comment; a brand's product."""
    from accounts.services import token_issue
    from feeds.models import MutedKeyword
    from posts import services as post_services
    from posts.models import Note
    from shop import addresses, orders
    from shop import services as shop_services
    from shop.models import Cart
    from tests.contract.conftest import jpeg

    user, other, brand = UserFactory(), UserFactory(), BrandFactory()
    note = post_services.note_create(
        author=other, title="walk", body="#skincare", images=[jpeg()], lat=31.2, lng=121.4, place_name="Walk Cafe"
    )
    comment = post_services.comment_create(author=other, note=note, body="hello")
    board = post_services.collection_create(owner=user, name="board", is_private=False)
    product = shop_services.product_create(
        brand=brand, name="P", gtin="4006381333931", variants=[{"name": "v", "price": "10.00", "stock": 50}]
    )
    variant = product.variants.first()
    cart, _ = Cart.objects.get_or_create(user=user)
    shop_services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    address = {"name": "A", "phone": "13800000", "line1": "x", "city": "y", "postal_code": "1", "country": "CN"}
    order, _ = orders.order_checkout(buyer=user, idempotency_key="walk", shipping_address=address)
    item = shop_services.cart_item_add(cart=cart, variant_id=variant.pk, quantity=1)
    keyword = MutedKeyword.objects.create(user=user, keyword="mute")
    book_entry = addresses.address_create(user=user, data=address, is_default=True)
    client = client_for(user)
    from messaging import services as messaging_services

    conversation, _ = messaging_services.conversation_start(user=user, other=other)
    return {
        "user": user,
        "client": client,
        "brand_client": client_for(brand),
        "anon": APIClient(),
        "address": address,
        "values": {
            "note_id": note.pk,
            "comment_id": comment.pk,
            "collection_id": board.pk,
            "product_id": product.pk,
            "item_id": item.pk,
            "order_id": order.pk,
            "keyword_id": keyword.pk,
            "username": other.username,
            "name": "skincare",
            "target_type": "note",
            "target_id": note.pk,
            "place_id": Note.objects.get(pk=note.pk).place_id,
            "token_id": token_issue(user=user, name="another device")[0].pk,  # not the client's own
            "address_id": book_entry.pk,
            "gateway": "sandbox",
            "gtin": "4006381333931",
            "conversation_id": conversation.pk,
        },
    }


def bad_response(response, *, api: bool) -> str | None:
    """Why `response` is not a clean answer to bad input, or None: no 5xx, JSON under /api/."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.content[:200]!r}"
    content_type = response.headers.get("Content-Type", "")
    if api and response.status_code >= 400 and not content_type.startswith("application/json"):
        return f"{response.status_code} answered {content_type}, not JSON"
    return None
