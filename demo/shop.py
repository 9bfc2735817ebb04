"""The demo mall: categories, brand products with variants and stock, and past orders."""

from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.apps import apps
from django.utils.translation import pgettext_lazy

from demo import vocab
from demo.bulk import Timer, insert, next_id, sync_sequence
from demo.world import DAY, World, weighted_pick
from shop.gtin import STORED_LENGTH, check_digit
from shop.models import Category, Product, ProductImage, Variant

PRODUCTS_PER_BRAND = (3, 9)  # low inclusive, high exclusive
ORDER_SHARE = 0.5  # orders per user
BUYER_NOTE_SHARE = 0.4  # product-tagging notes whose author bought the product first
ORDER_STATUSES = ("delivered", "shipped", "paid", "cancelled", "refunded")
ORDER_STATUS_WEIGHTS = np.array([70, 10, 10, 5, 5], float)
DEMO_ADDRESS = {
    "name": "Demo",
    "phone": "+86 138 0000 0000",
    "line1": "1 Demo Road",
    "city": "上海",
    "postal_code": "200000",
    "country": "CN",
}


def seed_catalog(world: World) -> None:
    rng = world.rng("shop")
    brands = np.flatnonzero(world.is_brand)
    if len(brands) == 0:
        return
    with Timer(world.log, "products") as timer:
        category_ids = _categories()
        per_brand = rng.integers(*PRODUCTS_PER_BRAND, len(brands))
        world.product_brand = np.repeat(brands, per_brand)
        world.product_topic = world.interests[world.product_brand].argmax(axis=1)
        first = next_id(Product)
        world.product_ids = np.arange(first, first + len(world.product_brand), dtype=np.int64)
        variants = _variant_columns(world, rng)
        timer.rows = insert(Product, _product_columns(world, rng, category_ids), log=world.log, desc="products")
        sync_sequence(Product)
        timer.rows += insert(Variant, variants, log=world.log, desc="variants")
        sync_sequence(Variant)
        if world.images:
            timer.rows += _product_images(world, rng)


# The categories' names, listed so the catalog translates them (Category.display_name).
CATEGORY_NAMES = (
    pgettext_lazy("shop category", "Skincare"),
    pgettext_lazy("shop category", "Makeup"),
    pgettext_lazy("shop category", "Fashion"),
    pgettext_lazy("shop category", "Food"),
    pgettext_lazy("shop category", "Fitness"),
    pgettext_lazy("shop category", "Home"),
    pgettext_lazy("shop category", "Tech"),
    pgettext_lazy("shop category", "Pets"),
    pgettext_lazy("shop category", "Books"),
)


def _categories() -> dict[int, int]:
    """Topic index -> category id, created once per shop topic (a handful of rows)."""
    ids = {}
    for position, topic in enumerate(vocab.SHOP_TOPICS):
        category, _ = Category.objects.get_or_create(slug=topic.slug, defaults={"name": topic.en, "position": position})
        ids[vocab.TOPICS.index(topic)] = category.pk
    return ids


def _product_columns(world: World, rng, category_ids: dict[int, int]) -> dict:
    n = len(world.product_ids)
    draws = rng.integers(0, 1_000_000, (n, 4)).tolist()
    names, descriptions = [], []
    for i in range(n):
        topic = vocab.TOPICS[world.product_topic[i]]
        brand = world.display_names[world.product_brand[i]].split()[0]
        item = draws[i][1] % len(topic.items_zh)
        names.append(f"{brand} {vocab.ADJ_ZH[draws[i][0] % len(vocab.ADJ_ZH)]}{topic.items_zh[item]}")
        descriptions.append(
            f"{topic.sentences_zh[draws[i][2] % len(topic.sentences_zh)].format(item=topic.items_zh[item])}\n"
            f"{topic.sentences_en[draws[i][3] % len(topic.sentences_en)].format(item=topic.items_en[0])}"
        )
    world.product_names = names
    prices = _price_bounds(world)
    created = world.now - (200 + rng.random(n) * 300).astype(np.int64) * DAY
    return {
        "id": world.product_ids,
        "brand_id": world.user_ids[world.product_brand],
        "name": names,
        "description": descriptions,
        "category_id": np.array([category_ids[t] for t in world.product_topic.tolist()], np.int64),
        "gtin": [_gtin(pid) for pid in world.product_ids.tolist()],
        "sku": [f"RB-{pid}" for pid in world.product_ids.tolist()],
        "price_min": prices[0],
        "price_max": prices[1],
        "rating": np.round(3.8 + rng.random(n) * 1.2, 2).astype(str).tolist(),
        "created_at": created,
        "updated_at": created,
    }


def _variant_columns(world: World, rng) -> dict:
    """One to four variants (shades, sizes) per product, priced around a log-uniform base."""
    n = len(world.product_ids)
    # No more variants than the topic has names: a product's variants are named apart.
    names_per_topic = np.array([max(len(vocab.TOPICS[t].variants_zh), 1) for t in world.product_topic])
    counts = np.minimum(rng.integers(1, 5, n), names_per_topic)
    product = np.repeat(np.arange(n), counts)
    position = np.arange(len(product)) - np.repeat(np.cumsum(counts) - counts, counts)
    low = np.array([vocab.TOPICS[t].price_range[0] for t in world.product_topic])
    high = np.array([vocab.TOPICS[t].price_range[1] for t in world.product_topic])
    base = np.exp(rng.uniform(np.log(low), np.log(high)))[product]
    prices = np.floor(base * (1 + 0.15 * position)) + 0.9  # 129.90-style prices
    stock = np.where(rng.random(len(product)) < 0.05, 0, rng.integers(5, 500, len(product)))
    names = [
        vocab.TOPICS[world.product_topic[p]].variants_zh[pos % len(vocab.TOPICS[world.product_topic[p]].variants_zh)]
        for p, pos in zip(product.tolist(), position.tolist(), strict=True)
    ]
    first = next_id(Variant)
    world.variant_ids = np.arange(first, first + len(product), dtype=np.int64)
    world.variant_product = product
    world.variant_prices = prices
    world.variant_names = names
    return {
        "id": world.variant_ids,
        "product_id": world.product_ids[product],
        "name": names,
        "price": prices.round(2).astype(str).tolist(),
        "stock": stock,
        "position": position,
    }


def _price_bounds(world: World) -> tuple[list[str], list[str]]:
    n = len(world.product_ids)
    low = np.full(n, np.inf)
    high = np.zeros(n)
    np.minimum.at(low, world.variant_product, world.variant_prices)
    np.maximum.at(high, world.variant_product, world.variant_prices)
    return low.round(2).astype(str).tolist(), high.round(2).astype(str).tolist()


def _gtin(product_id: int) -> str:
    """A valid EAN-13 with China's 69 prefix, one per product (the partner widget looks
    products up by it), stored in its 14-digit form like every GTIN (shop/gtin.py)."""
    body = f"69{product_id:010d}"
    return f"{body}{check_digit(body)}".zfill(STORED_LENGTH)


def _product_images(world: World, rng) -> int:
    n = len(world.product_ids)
    per_topic = len(world.images[0])
    picks = rng.integers(0, per_topic, n).tolist()
    chosen = [world.images[t][k] for t, k in zip(world.product_topic.tolist(), picks, strict=True)]
    first = next_id(ProductImage)
    rows = insert(
        ProductImage,
        {
            "id": np.arange(first, first + n),
            "product_id": world.product_ids,
            "position": np.zeros(n, np.int64),
            "image": [image.display for image in chosen],
            "thumb": [image.thumb for image in chosen],
            "width": np.array([image.width for image in chosen]),
            "height": np.array([image.height for image in chosen]),
        },
        log=world.log,
        desc="product images",
    )
    sync_sequence(ProductImage)
    return rows


def seed_orders(world: World) -> None:
    """Past orders, one variant each: shoppers' random buys plus note authors who bought what they tag.

    Skipped until the shop's order models exist (they arrive with the checkout work).
    """
    try:
        order_model, item_model = apps.get_model("shop", "Order"), apps.get_model("shop", "OrderItem")
    except LookupError:
        return
    if len(world.variant_ids) == 0:
        return
    rng = world.rng("orders")
    with Timer(world.log, "orders") as timer:
        buyers, variants, status, created = _draw_orders(world, rng)
        first = next_id(order_model)
        order_ids = np.arange(first, first + len(buyers), dtype=np.int64)
        quantity = 1 + (rng.random(len(buyers)) < 0.2)
        total = world.variant_prices[variants] * quantity
        paid = (status != "cancelled") | (order_ids % 2 == 0)  # half the cancelled orders were paid first
        timer.rows = insert(
            order_model,
            _order_columns(world, order_ids, buyers, variants, status, created, total, paid),
            log=world.log,
            desc="orders",
        )
        sync_sequence(order_model)
        timer.rows += _insert_payments(world, order_ids, paid, total)
        product = world.variant_product[variants]
        first_item = next_id(item_model)
        timer.rows += insert(
            item_model,
            {
                "id": np.arange(first_item, first_item + len(order_ids)),
                "order_id": order_ids,
                "variant_id": world.variant_ids[variants],
                "product_id": world.product_ids[product],
                "name": _item_names(world, variants),
                "unit_price": world.variant_prices[variants].round(2).astype(str).tolist(),
                "quantity": quantity,
            },
            log=world.log,
            desc="order items",
        )
        sync_sequence(item_model)


def _draw_orders(world: World, rng):
    shoppers = np.flatnonzero(~world.is_brand)
    count = int(len(shoppers) * ORDER_SHARE)
    buyers = shoppers[rng.integers(0, len(shoppers), count)]
    variants = rng.integers(0, len(world.variant_ids), count)
    status = np.array(ORDER_STATUSES)[weighted_pick(rng, ORDER_STATUS_WEIGHTS, count)]
    created = world.now - (1 + rng.random(count) * 150 * 86400).astype(np.int64) * np.timedelta64(1, "s")
    # Verified buyers: authors who received the product before writing about it.
    tagged = world.note_products
    if len(tagged):
        chosen = tagged[rng.random(len(tagged)) < BUYER_NOTE_SHARE]
        chosen = chosen[~world.is_brand[world.note_author[chosen[:, 0]]]]
        variant_of = _first_variant(world)
        buyers = np.concatenate([buyers, world.note_author[chosen[:, 0]]])
        variants = np.concatenate([variants, variant_of[chosen[:, 1]]])
        status = np.concatenate([status, np.full(len(chosen), "delivered")])
        created = np.concatenate([created, world.note_created[chosen[:, 0]] - 10 * DAY])
    return buyers, variants, status, created


def _first_variant(world: World) -> np.ndarray:
    first = np.full(len(world.product_ids), -1, np.int64)
    first[world.variant_product[::-1]] = np.arange(len(world.variant_product))[::-1]
    return first


def _order_columns(world, order_ids, buyers, variants, status, created, total, paid) -> dict:
    n = len(order_ids)
    stamp = {name: status == name for name in ORDER_STATUSES}
    reached_shipped = stamp["shipped"] | stamp["delivered"] | stamp["refunded"]
    day_text = np.datetime_as_string(created, unit="D")
    return {
        "id": order_ids,
        "number": [f"RB{d.replace('-', '')}-DM{oid:06d}" for d, oid in zip(day_text, order_ids.tolist(), strict=True)],
        "buyer_id": world.user_ids[buyers],
        "brand_id": world.user_ids[world.product_brand[world.variant_product[variants]]],
        "status": status.tolist(),
        "subtotal": total.round(2).astype(str).tolist(),
        "total": total.round(2).astype(str).tolist(),
        "shipping_fee": [str(Decimal("0.00"))] * n,
        "shipping_address": [DEMO_ADDRESS] * n,
        "idempotency_key": [f"demo-{oid}" for oid in order_ids.tolist()],
        "tracking_number": np.where(reached_shipped, "SF" + order_ids.astype(str), "").tolist(),
        "created_at": created,
        "expires_at": created + np.timedelta64(timedelta(minutes=30)),
        "paid_at": _stamps(created, paid, hours=1),
        "shipped_at": _stamps(created, reached_shipped, hours=30),
        "delivered_at": _stamps(created, stamp["delivered"], hours=80),
        "cancelled_at": _stamps(created, stamp["cancelled"], hours=5),
        "refunded_at": _stamps(created, stamp["refunded"], hours=200),
    }


def _stamps(created: np.ndarray, reached: np.ndarray, *, hours: int) -> np.ndarray:
    return np.where(reached, created + np.timedelta64(hours, "h"), np.datetime64("NaT")).astype("datetime64[s]")


def _item_names(world: World, variants: np.ndarray) -> list[str]:
    """The line's name as sold: product and variant."""
    return [f"{world.product_names[world.variant_product[v]]} / {world.variant_names[v]}" for v in variants.tolist()]


def _insert_payments(world: World, order_ids: np.ndarray, paid: np.ndarray, total: np.ndarray) -> int:
    try:
        payment_model = apps.get_model("shop", "Payment")
    except LookupError:
        return 0
    first = next_id(payment_model)
    ids = order_ids[paid]
    rows = insert(
        payment_model,
        {
            "id": np.arange(first, first + len(ids)),
            "order_id": ids,
            "gateway": ["sandbox"] * len(ids),
            "status": ["succeeded"] * len(ids),
            "amount": total[paid].round(2).astype(str).tolist(),
            "currency": ["CNY"] * len(ids),
            "reference": [f"sandbox_demo_{oid}" for oid in ids.tolist()],
            "card_last4": ["4242"] * len(ids),
        },
        log=world.log,
        desc="payments",
    )
    sync_sequence(payment_model)
    return rows
