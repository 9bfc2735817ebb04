"""Shop reads: one queryset per page with everything it shows, no per-row queries."""

from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from posts.models import Note
from redbook import numbers
from redbook.exceptions import Invalid, NotFound
from shop.gtin import gtin_parse
from shop.models import (
    SORTABLE_FIELDS,
    Address,
    Cart,
    CartItem,
    Category,
    Order,
    OrderItem,
    Product,
    ProductImage,
    ProductQuerySet,
    Variant,
)

# ?ordering= value -> (primary field, tie-breaker) for the keyset cursor: the field
# names either way ("price_min", "-notes_count"), plus friendly names.
ORDERINGS = {
    **{field: (field, "id") for field in SORTABLE_FIELDS},
    **{f"-{field}": (f"-{field}", "-id") for field in SORTABLE_FIELDS},
    "newest": ("-created_at", "-id"),
    "price": ("price_min", "id"),
    "-price": ("-price_max", "-id"),
    "popular": ("-notes_count", "-id"),
    "sales": ("-sold_count", "-id"),
}


# --- Catalog -------------------------------------------------------------------------


def products_base() -> ProductQuerySet:
    return Product.objects.select_related("brand", "category").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        Prefetch("variants", queryset=Variant.objects.order_by("position", "id")),
    )


def products_listed(*, q: str = "", brand: str = "", category: str = "") -> QuerySet:
    products = products_base().listed()
    if q and (code := gtin_parse(q)) is not None:  # a barcode: the product with that code
        variant_of = Variant.objects.filter(gtin=code).values("product_id")
        products = products.filter(Q(gtin=code) | Q(pk__in=variant_of))
    elif q:
        products = products.filter(
            Q(name__icontains=q)
            | Q(description__icontains=q)
            | Q(brand__display_name__icontains=q)
            | Q(brand__username__icontains=q)
        )
    if brand:
        by_id = Q(brand_id=brand_id) if (brand_id := numbers.parse_id(brand)) else Q()
        products = products.filter(Q(brand__username=brand) | by_id)
    if category:
        by_id = Q(category_id=category_id) if (category_id := numbers.parse_id(category)) else Q()
        products = products.filter(Q(category__slug=category) | Q(category__name__iexact=category) | by_id)
    return products


def product_get_visible(*, product_id, viewer) -> Product:
    """A listed product, or the brand's own (or staff's view of) an unlisted one; else 404."""
    pk = numbers.parse_id(product_id)
    product = products_base().filter(pk=pk).first() if pk is not None else None
    if product is None:
        raise NotFound(_("No such product."))
    is_owner = viewer is not None and viewer.is_authenticated and (viewer.pk == product.brand_id or viewer.is_staff)
    if not product.is_on_sale and not is_owner:
        raise NotFound(_("No such product."))
    return product


def product_find_by_gtin(gtin) -> Product | None:
    """The listed product whose GTIN, or one of whose variants' GTIN, is `gtin` (any of
    EAN-8, UPC-A, EAN-13, GTIN-14); None when it is not a valid GTIN or nothing on sale has it.
    Two index lookups: the product's own code, then its variants'."""
    code = gtin_parse(gtin)
    if code is None:
        return None
    listed = products_base().listed()
    product = listed.filter(gtin=code).first()
    if product is None:
        product_id = Variant.objects.filter(gtin=code).values("product_id")[:1]
        product = listed.filter(pk__in=product_id).first()
    return product


def categories_all() -> list[Category]:
    return list(Category.objects.all())


def brands_with_products(*, limit: int = 12) -> list[User]:
    """Brand stores for the mall: verified first, then by how many notes their products have."""
    return list(
        User.objects.active()
        .filter(account_type=User.AccountType.BRAND)
        .annotate(
            listed=Count("products", filter=Q(products__is_listed=True, products__is_delisted=False)),
            buzz=Sum("products__notes_count"),
        )
        .filter(listed__gt=0)
        .order_by("-is_verified", F("buzz").desc(nulls_last=True), "username")[:limit]
    )


def brand_get_store(*, username: str) -> User:
    brand = User.objects.active().filter(username=username, account_type=User.AccountType.BRAND).first()
    if brand is None:
        raise NotFound(_("No such store."))
    return brand


# --- Notes about products ----------------------------------------------------------------


def _delivered_lines(*, buyer_ids, product_ids) -> QuerySet:
    return OrderItem.objects.sales().filter(
        order__status=Order.Status.DELIVERED, order__buyer_id__in=buyer_ids, product_id__in=product_ids
    )


def verified_buyer_note_ids(*, notes, product_id: int | None = None) -> set[int]:
    """Ids of the notes whose author has a delivered order of a product the note tags
    (bought from another account: a brand is never its own verified buyer).

    With `product_id`, only that product counts. Two queries for any number of notes.
    """
    notes = list(notes)
    if not notes:
        return set()
    tags = Note.products.through.objects.filter(note_id__in=[n.pk for n in notes])
    if product_id is not None:
        tags = tags.filter(product_id=product_id)
    tagged = list(tags.values_list("note_id", "product_id"))
    if not tagged:
        return set()
    author_of = {n.pk: n.author_id for n in notes}
    bought = set(
        _delivered_lines(buyer_ids=set(author_of.values()), product_ids={p for _n, p in tagged})
        .values_list("order__buyer_id", "product_id")
        .distinct()
    )
    return {note_id for note_id, prod_id in tagged if (author_of[note_id], prod_id) in bought}


# ?from= on a product's notes: everyone's, other people's, or the brand's own.
NOTE_SOURCES = ("all", "community", "brand")


def product_notes(*, product: Product, viewer, buyers_only: bool = False, source: str = "all") -> QuerySet:
    """Notes tagging the product that the viewer may see: the community's (other authors)
    before the brand's own (`from_brand`), most helpful first."""
    if source not in NOTE_SOURCES:
        message = _("from must be one of: %(choices)s.") % {"choices": ", ".join(NOTE_SOURCES)}
        raise Invalid(message, code="invalid_source")
    from_brand = Q(author_id=product.brand_id)
    notes = (
        Note.objects.visible_to(viewer)
        .filter(products=product)
        .annotate(
            helpfulness=F("like_count") + F("save_count") + F("comment_count"),
            from_brand=ExpressionWrapper(from_brand, output_field=BooleanField()),
        )
        .order_by("from_brand", "-helpfulness", "-id")
    )
    if source == "community":
        notes = notes.exclude(from_brand)
    elif source == "brand":
        notes = notes.filter(from_brand)
    if buyers_only:
        delivered = OrderItem.objects.sales().filter(
            product=product, order__status=Order.Status.DELIVERED, order__buyer=OuterRef("author")
        )
        notes = notes.filter(Exists(delivered))
    return notes


def brand_notes(*, brand, viewer) -> QuerySet:
    """Community notes about any of the brand's products, most helpful first."""
    tags = Note.products.through.objects.filter(product__brand=brand)
    return Note.objects.visible_to(viewer).filter(pk__in=tags.values("note_id")).order_by(F("like_count").desc(), "-id")


# --- Cart ------------------------------------------------------------------------------


def cart_items(cart: Cart | None) -> list[CartItem]:
    if cart is None:
        return []
    return list(
        cart.items.select_related("variant__product__brand").prefetch_related(
            Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )


def cart_summary(cart: Cart | None) -> dict:
    """{items, subtotal, currency, stores}: prices as they are now, from the server."""
    items = cart_items(cart)
    subtotal = sum((item.line_total for item in items), Decimal("0.00"))
    stores: dict[int, dict] = {}
    for item in items:
        product = item.variant.product
        store = stores.setdefault(
            product.brand_id,
            {"brand": product.brand, "items": [], "subtotal": Decimal("0.00"), "currency": product.currency},
        )
        store["items"].append(item)
        store["subtotal"] += item.line_total
    currency = items[0].variant.product.currency if items else "CNY"
    return {"items": items, "subtotal": subtotal, "currency": currency, "stores": list(stores.values())}


# --- Orders ------------------------------------------------------------------------------


def orders_base() -> QuerySet:
    return Order.objects.select_related("buyer", "brand").prefetch_related("items")


def orders_for_buyer(*, buyer) -> QuerySet:
    return orders_base().filter(buyer=buyer)


def orders_for_brand(*, brand, status: str = "") -> QuerySet:
    orders = orders_base().filter(brand=brand)
    return orders.filter(status=status) if status else orders


def order_get_visible(*, order_id, viewer) -> Order:
    """The buyer, the selling brand and staff may see an order; anyone else gets 404."""
    pk = numbers.parse_id(order_id)
    order = orders_base().filter(pk=pk).first() if pk is not None else None
    if order is None or not (viewer.is_staff or viewer.pk in (order.buyer_id, order.brand_id)):
        raise NotFound(_("No such order."))
    return order


# --- Address book ------------------------------------------------------------------------


def addresses_for(*, user) -> QuerySet:
    """The buyer's saved addresses, the default first."""
    if not user.is_authenticated:
        return Address.objects.none()
    return Address.objects.filter(user=user).order_by("-is_default", "-id")


def address_get(*, user, address_id) -> Address:
    """One of the buyer's own addresses; anyone else's (or none) is a 404."""
    pk = numbers.parse_id(address_id)
    address = addresses_for(user=user).filter(pk=pk).first() if pk else None
    if address is None:
        raise NotFound(_("Address not found."))
    return address
