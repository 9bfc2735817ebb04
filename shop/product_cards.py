"""The product list's read model: each product's API summary as every viewer sees it, cached.

`products/` (the most expensive list: a product brings its brand, category, images and
variants, five model instances and three nested serializers a row) finds its page of ids
first, then asks `product_summaries(ids, request)`. A summary is `ProductSerializer`'s
dict with what differs per viewer left neutral: site-relative URLs, `followed_by_me`
false, every variant's `stock`. It is cached for `PRODUCT_CARD_CACHE_SECONDS`, dropped
on a product edit and on every stock, sales or notes count move (`forget_products`); the
brand's profile (name, avatar, counts) is otherwise at most that old. Per page, one query
reads which brands the viewer follows; per product, the URLs get the site's origin and
`stock` stays only for the selling brand and staff (`sees_exact_stock`).
"""

from django.conf import settings
from rest_framework import serializers

from accounts import selectors as account_selectors
from redbook.cache import cached_many, forget_many
from shop.selectors import products_base
from shop.serializers import ProductSerializer, sees_exact_stock


class _Summary(ProductSerializer):
    """`ProductSerializer`'s dict before its per-viewer step: every variant keeps `stock`."""

    def to_representation(self, product):
        return serializers.ModelSerializer.to_representation(self, product)


# No request: URLs come out site-relative, and no brand is followed.
_NEUTRAL = {"request": None, "followed_ids": frozenset()}


def _cache_key(product_id: int) -> str:
    return f"productcard:v1:{product_id}"


def _read(ids: list[int]) -> dict[int, tuple[int, dict]]:
    """product id -> (brand id, neutral summary), from the database."""
    summary = _Summary(context=_NEUTRAL)
    products = products_base().filter(pk__in=ids)
    return {product.pk: (product.brand_id, summary.to_representation(product)) for product in products}


def product_summaries(ids: list[int], request) -> list[dict]:
    """The `ProductSerializer` dicts of these products for this request's viewer, in order
    (ids no longer found are left out). The caller checked the products are listed."""
    found = cached_many(ids, key=_cache_key, read=_read, seconds=settings.PRODUCT_CARD_CACHE_SECONDS)
    viewer = request.user
    followed = account_selectors.followed_ids(viewer=viewer, user_ids={brand_id for brand_id, _ in found.values()})
    origin = request.build_absolute_uri("/")[:-1]

    def absolute(url):
        return origin + url if url and url.startswith("/") else url

    rows = []
    for pk in ids:
        if pk not in found:
            continue
        brand_id, data = found[pk]  # a fresh copy: unpickled from the cache, or just read
        data["brand"]["avatar_url"] = absolute(data["brand"]["avatar_url"])
        data["brand"]["followed_by_me"] = brand_id in followed
        for image in data["images"]:
            image["url"], image["thumb_url"] = absolute(image["url"]), absolute(image["thumb_url"])
        if not sees_exact_stock(viewer, brand_id):
            for variant in data["variants"]:
                variant.pop("stock", None)
        rows.append(data)
    return rows


def forget_products(product_ids) -> None:
    """Drop these products' summaries: call on any change a summary shows. Now, and again
    once the transaction commits (a reader in between may have cached the old row)."""
    forget_many([_cache_key(pk) for pk in product_ids], seconds=settings.PRODUCT_CARD_CACHE_SECONDS)
