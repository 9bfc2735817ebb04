"""Catalog and cart writes. Order lifecycle lives in shop/orders.py, stock moves in shop/stock.py."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posts.models import Note
from redbook import input_fields, numbers
from redbook.exceptions import Forbidden, Invalid, NotFound
from redbook.images import check_request_pixels, load_image, make_rendition
from shop import signals
from shop.gtin import gtin_clean, gtin_ensure_free, gtin_lock
from shop.models import MAX_LINE_QUANTITY, Cart, CartItem, Category, Product, ProductImage, Variant
from shop.product_cards import forget_products
from shop.signals import added_to_cart
from shop.stock import out_of_stock_error

SESSION_CART_KEY = "shop_cart_id"
MAX_VARIANTS = 30
MAX_PRODUCT_IMAGES = 9
MAX_STOCK = 1_000_000
PRICE_DIGITS = Variant._meta.get_field("price").max_digits
MAX_PRICE = Decimal("99999999.99")
IMAGE_SIZE, THUMB_SIZE = 1600, 480
_UNSET = object()


# --- Catalog -------------------------------------------------------------------------


def _ensure_brand(user) -> None:
    if not user.is_authenticated or not user.is_brand:
        raise Forbidden(_("Only brand accounts can sell products."), code="not_a_brand")
    if not user.is_active or user.is_suspended:
        raise Forbidden(_("This account is suspended."), code="suspended")


def category_resolve(value) -> Category | None:
    """An existing category by id, slug or name: staff create categories (in the admin),
    brands pick one, so the site's categories stay a short list people can browse."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({"category": [_("Send the category's id, slug or name.")]})
    if isinstance(value, int) or numbers.is_ascii_digits(value.strip()):  # an id, never a name
        category_id = numbers.parse_id(value)
        category = Category.objects.filter(pk=category_id).first() if category_id else None
        if category is None:
            raise ValidationError({"category": [_("No such category.")]})
        return category
    name = str(value).strip()[:50]
    slug = slugify(name, allow_unicode=True)[:50]
    if not slug:
        raise ValidationError({"category": [_("Enter a category name.")]})
    found = Category.objects.filter(slug=slug).first() or Category.objects.filter(name__iexact=name).first()
    if found is None:
        raise ValidationError({"category": [_("No such category: pick one of the shop's categories.")]})
    return found


def _clean_text(value, *, field: str, max_length: int, required: bool) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > max_length:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": max_length}]})
    return text


def variant_clean(data, *, position: int) -> dict:
    """One variant as given by a brand: name, price > 0 and stock >= 0.

    An existing variant (with `id`) may instead carry `stock_add`, a restock or a
    write-off applied to the current count, so concurrent sales are never overwritten.
    """
    label = _("Variant %(n)d") % {"n": position + 1}
    if not isinstance(data, dict):
        raise ValidationError({"variants": [_("%(v)s: send an object with name, price and stock.") % {"v": label}]})
    cleaned = {}
    if "id" in data:
        cleaned["id"] = data["id"]
    if "name" in data or "id" not in data:
        cleaned["name"] = _clean_text(
            data.get("name"), field="variants", max_length=input_fields.max_length_of(Variant, "name"), required=True
        )
    if "price" in data or "id" not in data:
        try:
            price = numbers.parse_decimal(data.get("price"), max_digits=PRICE_DIGITS, decimal_places=2)
        except ValueError:
            price = None
        if price is None or not Decimal("0.01") <= price <= MAX_PRICE:
            raise ValidationError({"variants": [_("%(v)s: enter a price above 0.") % {"v": label}]})
        cleaned["price"] = price
    if "stock" in data or "id" not in data:
        try:
            cleaned["stock"] = numbers.parse_int(data.get("stock", 0), min_value=0, max_value=MAX_STOCK)
        except ValueError:
            raise ValidationError(
                {"variants": [_("%(v)s: stock must be a whole number from 0.") % {"v": label}]}
            ) from None
    if "gtin" in data:
        cleaned["gtin"] = gtin_clean(data["gtin"], field="variants")
    if "stock_add" in data and "id" in data:
        try:
            cleaned["stock_add"] = numbers.parse_int(data["stock_add"], min_value=-MAX_STOCK, max_value=MAX_STOCK)
        except ValueError:
            raise ValidationError(
                {"variants": [_("%(v)s: stock_add must be a whole number.") % {"v": label}]}
            ) from None
    return cleaned


def _clean_variants(variants, *, required: bool) -> list[dict]:
    if variants is None and not required:
        return []
    if not isinstance(variants, list) or (required and not variants):
        raise ValidationError({"variants": [_("Add at least one variant (a shade, a size) with its price.")]})
    if len(variants) > MAX_VARIANTS:
        raise ValidationError({"variants": [_("At most %(n)d variants.") % {"n": MAX_VARIANTS}]})
    cleaned = [variant_clean(data, position=i) for i, data in enumerate(variants)]
    _ensure_distinct_names([v["name"] for v in cleaned if "name" in v])
    return cleaned


def _ensure_distinct_names(names: Iterable[str]) -> None:
    """Variants of one product are told apart by name alone (on the page, in the cart, on
    the order), so no two may share one, whatever their case."""
    seen = set()
    for name in names:
        if name.casefold() in seen:
            message = _("Each variant needs a name of its own: “%(name)s” is used twice.") % {"name": name}
            raise ValidationError({"variants": [message]})
        seen.add(name.casefold())


def _renditions(images) -> list[tuple]:
    """Decode and re-encode uploads before any row is written (bad files: 4xx)."""
    images = list(images or [])
    if len(images) > MAX_PRODUCT_IMAGES:
        raise Invalid(_("At most %(n)d images per product.") % {"n": MAX_PRODUCT_IMAGES})
    check_request_pixels(images, max_side=IMAGE_SIZE)
    result = []
    for upload in images:
        picture = load_image(upload, max_side=IMAGE_SIZE)
        full = make_rendition(picture, max_size=IMAGE_SIZE, fmt="JPEG")
        result.append((full, make_rendition(picture, max_size=THUMB_SIZE, fmt="JPEG")))
    return result


def _images_save(product: Product, renditions: list[tuple]) -> None:
    start = product.images.count()
    if start + len(renditions) > MAX_PRODUCT_IMAGES:
        raise Invalid(_("At most %(n)d images per product.") % {"n": MAX_PRODUCT_IMAGES})
    for offset, (full, thumb) in enumerate(renditions):
        image = ProductImage(product=product, position=start + offset, width=full.width, height=full.height)
        image.image.save(full.content.name, full.content, save=False)
        image.thumb.save(thumb.content.name, thumb.content, save=False)
        image.save()


def _gtins_claim(*, gtin: str, product_id: int | None, variants: list[dict]) -> None:
    """The GTINs being written (the product's and its variants') are distinct and no other
    product's or variant's: one code names one article, so a product's own variants may not
    repeat its GTIN either. Inside the write's transaction, before the rows are written."""
    claimed: list[tuple[str, str, int | None]] = [(gtin, "gtin", None)] if gtin else []
    claimed += [(v["gtin"], "variants", numbers.parse_id(v.get("id"))) for v in variants if v.get("gtin")]
    codes = [gtin for gtin, _field, _variant_id in claimed]
    if len(set(codes)) < len(codes):
        raise ValidationError({"variants": [_("Each variant needs a GTIN of its own.")]})
    gtin_lock(codes)
    for code, field, variant_id in claimed:
        gtin_ensure_free(code, field=field, product_id=product_id if field == "gtin" else None, variant_id=variant_id)


def product_create(
    *,
    brand,
    name: str = "",
    description: str = "",
    category=None,
    variants=None,
    images=(),
    is_listed: bool = True,
    gtin="",
) -> Product:
    _ensure_brand(brand)
    fields = {
        "name": _clean_text(name, field="name", max_length=input_fields.max_length_of(Product, "name"), required=True),
        "description": _clean_text(description, field="description", max_length=5000, required=False),
        "gtin": gtin_clean(gtin),
    }
    cleaned_variants = _clean_variants(variants, required=True)
    if any("id" in v for v in cleaned_variants):
        raise ValidationError({"variants": [_("A new product has no variant ids yet.")]})
    renditions = _renditions(images)
    with transaction.atomic():
        _gtins_claim(gtin=fields["gtin"], product_id=None, variants=cleaned_variants)
        product = Product.objects.create(
            brand=brand, category=category_resolve(category), is_listed=is_listed, **fields
        )
        Variant.objects.bulk_create(Variant(product=product, position=i, **v) for i, v in enumerate(cleaned_variants))
        _images_save(product, renditions)
        product_prices_refresh(product_ids=[product.pk])
        signals.product_changed.send(sender=Product, product_id=product.pk)
    product.refresh_from_db()
    return product


def product_update(
    *,
    product_id,
    actor,
    name=None,
    description=None,
    category=_UNSET,
    variants=None,
    images=(),
    is_listed=None,
    gtin=None,
) -> Product:
    """The owning brand edits its product; variants with an id are updated, others added.

    Stock set here is the brand's own count of sellable units (a restock), written
    by one UPDATE, never read back and adjusted.
    """
    _ensure_brand(actor)
    cleaned_variants = _clean_variants(variants, required=False)
    renditions = _renditions(images)
    with transaction.atomic():
        product = None
        if (pk := numbers.parse_id(product_id)) is not None:
            # NO KEY UPDATE: checkouts inserting order lines (a KEY SHARE on the
            # product) are not blocked by it, so they cannot deadlock with an edit.
            product = Product.objects.select_for_update(no_key=True).filter(pk=pk).first()
        if product is None or (product.brand_id != actor.pk and not product.is_listed):
            raise NotFound(_("No such product."))
        if product.brand_id != actor.pk:
            raise Forbidden(_("You can only edit your own products."))
        if name is not None:
            product.name = _clean_text(
                name, field="name", max_length=input_fields.max_length_of(Product, "name"), required=True
            )
        if description is not None:
            product.description = _clean_text(description, field="description", max_length=5000, required=False)
        if category is not _UNSET:
            product.category = category_resolve(category)
        if is_listed is not None:
            product.is_listed = bool(is_listed)
        if gtin is not None:
            product.gtin = gtin_clean(gtin)
        _gtins_claim(gtin=product.gtin, product_id=product.pk, variants=cleaned_variants)
        product.save()
        _variants_apply(product, cleaned_variants)
        _ensure_distinct_names(product.variants.values_list("name", flat=True))  # new names against kept ones
        _images_save(product, renditions)
        product_prices_refresh(product_ids=[product.pk])
        signals.product_changed.send(sender=Product, product_id=product.pk)
    product.refresh_from_db()
    return product


def _variants_apply(product: Product, variants: list[dict]) -> None:
    own_ids = set(product.variants.values_list("pk", flat=True))
    next_position = len(own_ids)
    for data in variants:
        variant_id = data.pop("id", None)
        if variant_id is None:
            Variant.objects.create(product=product, position=next_position, **data)
            next_position += 1
            continue
        own_id = numbers.parse_id(variant_id)
        if own_id is None or own_id not in own_ids:
            message = _("Variant %(id)s is not one of this product's.") % {"id": variant_id}
            raise ValidationError({"variants": [message]})
        add = data.pop("stock_add", 0)
        if add:
            data["stock"] = Greatest(F("stock") + add, 0)
        if data:
            Variant.objects.filter(pk=own_id).update(**data)


def expected_prices() -> dict:
    """price_min / price_max as the variants say, as expressions on Product rows."""
    variants = Variant.objects.filter(product=OuterRef("pk")).order_by().values("product")
    zero = Value(Decimal("0.00"))
    return {
        "price_min": Coalesce(Subquery(variants.annotate(m=Min("price")).values("m")), zero),
        "price_max": Coalesce(Subquery(variants.annotate(m=Max("price")).values("m")), zero),
    }


def expected_notes_count():
    """Public notes tagging the product, as an expression on Product rows."""
    counts = Note.objects.public().filter(products=OuterRef("pk")).order_by().values("products").annotate(c=Count("pk"))
    return Coalesce(Subquery(counts.values("c")), 0)


def product_prices_refresh(*, product_ids) -> None:
    product_ids = list(product_ids)
    Product.objects.filter(pk__in=product_ids).update(**expected_prices())
    forget_products(product_ids)


def product_notes_count_refresh(*, product_ids) -> None:
    """Recount notes_count. Call after tagging, untagging, hiding or deleting notes."""
    product_ids = list(product_ids)
    Product.objects.filter(pk__in=product_ids).update(notes_count=expected_notes_count())
    forget_products(product_ids)


# --- Cart ------------------------------------------------------------------------------


def cart_for_request(request, *, create: bool) -> Cart | None:
    """The signed-in user's cart, or the visitor's whose id the session carries."""
    if request.user.is_authenticated:
        if create:
            return Cart.objects.get_or_create(user=request.user)[0]
        return Cart.objects.filter(user=request.user).first()
    cart_id = request.session.get(SESSION_CART_KEY)
    cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_CART_KEY] = cart.pk
    return cart


def _clean_quantity(value) -> int:
    try:
        quantity = numbers.parse_int(value)
    except ValueError:
        raise ValidationError({"quantity": [_("Enter a whole number.")]}) from None
    if quantity < 1:
        raise ValidationError({"quantity": [_("The quantity must be at least 1.")]})
    if quantity > MAX_LINE_QUANTITY:
        raise ValidationError({"quantity": [_("At most %(n)d of one item.") % {"n": MAX_LINE_QUANTITY}]})
    return quantity


def _check_available(variant: Variant, quantity: int) -> None:
    if quantity > MAX_LINE_QUANTITY:
        raise Invalid(_("At most %(n)d of one item per order.") % {"n": MAX_LINE_QUANTITY}, code="quantity_limit")
    if quantity > variant.stock:
        raise out_of_stock_error(variant, quantity)


def _variant_on_sale(variant_id) -> Variant:
    variant = None
    if (pk := numbers.parse_id(variant_id)) is not None:
        variant = Variant.objects.select_related("product").filter(pk=pk, product__in=Product.objects.listed()).first()
    if variant is None:
        raise ValidationError({"variant_id": [_("No such product variant on sale.")]})
    return variant


def cart_item_add(*, cart: Cart, variant_id, quantity, visitor: str | None = None) -> CartItem:
    """Add to the cart; the same variant again adds to its line.

    `visitor` (redbook.visitors.visitor_key) names a guest for attribution; a signed-in
    cart's owner is known from the cart.
    """
    quantity = _clean_quantity(quantity)
    variant = _variant_on_sale(variant_id)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).first()  # one writer per cart
        item = CartItem.objects.filter(cart=cart, variant=variant).first()
        total = quantity + (item.quantity if item else 0)
        _check_available(variant, total)
        if item is None:
            item = CartItem.objects.create(cart=cart, variant=variant, quantity=total)
        else:
            item.quantity = total
            item.save(update_fields=["quantity"])
        cart.save(update_fields=["updated_at"])  # guest carts are purged by age
        item.variant = variant
        added_to_cart.send(sender=CartItem, item=item, quantity=quantity, visitor=visitor)
    return item


def _cart_item(cart: Cart | None, item_id) -> CartItem:
    item = None
    if cart is not None and (pk := numbers.parse_id(item_id)) is not None:
        item = CartItem.objects.select_related("variant__product").filter(cart=cart, pk=pk).first()
    if item is None:
        raise NotFound(_("No such item in your cart."))
    return item


def cart_item_update(*, cart: Cart | None, item_id, quantity) -> CartItem:
    quantity = _clean_quantity(quantity)
    item = _cart_item(cart, item_id)
    _check_available(item.variant, quantity)
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


def cart_item_remove(*, cart: Cart | None, item_id) -> None:
    _cart_item(cart, item_id).delete()


def cart_merge_on_login(*, request, user) -> None:
    """Move the visitor's session cart into the user's cart, capped by stock and the line maximum."""
    cart_id = request.session.pop(SESSION_CART_KEY, None)
    guest = Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None
    if guest is None:
        return
    with transaction.atomic():
        cart, _created = Cart.objects.select_for_update().get_or_create(user=user)
        existing = {item.variant_id: item for item in cart.items.all()}
        for line in guest.items.select_related("variant").order_by("variant_id"):
            item = existing.get(line.variant_id)
            quantity = min(line.quantity + (item.quantity if item else 0), line.variant.stock, MAX_LINE_QUANTITY)
            if quantity < 1:
                continue
            if item is None:
                CartItem.objects.create(
                    cart=cart, variant_id=line.variant_id, quantity=quantity, source_note_id=line.source_note_id
                )
            else:  # the guest's visit is the later touch
                source = line.source_note_id or item.source_note_id
                CartItem.objects.filter(pk=item.pk).update(quantity=quantity, source_note_id=source)
        guest.delete()
