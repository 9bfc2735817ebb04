from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when the catalog knows it (the demo's), else as staff wrote it."""
        return pgettext("shop category", self.name)


class ProductQuerySet(models.QuerySet):
    def listed(self):
        """On sale: listed, not delisted by moderation, by a brand in good standing."""
        return self.filter(is_listed=True, is_delisted=False, brand__is_active=True, brand__is_suspended=False)


# The columns the product list sorts by (shop.selectors.ORDERINGS), each indexed with the id.
SORTABLE_FIELDS = ("created_at", "price_min", "price_max", "notes_count", "sold_count")


class Product(models.Model):
    brand = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    currency = models.CharField(max_length=3, default="CNY")
    # The barcode, stored in its 14-digit form (shop/gtin.py), unique across products and
    # variants: partners look products up by it (partners/).
    gtin = models.CharField(_("GTIN / barcode"), max_length=14, blank=True, db_index=True)
    sku = models.CharField(_("brand SKU"), max_length=64, blank=True)
    is_listed = models.BooleanField(_("listed"), default=True)
    is_delisted = models.BooleanField(_("delisted by moderation"), default=False)

    # Denormalized from variants and notes by the services that change them.
    price_min = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    price_max = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    notes_count = models.PositiveIntegerField(default=0)
    rating = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    sold_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["brand", "-id"]),
            models.Index(fields=["category", "-id"]),
            # The list's orderings (shop.selectors.ORDERINGS), each read either way by keyset:
            # without them every page sorted the whole catalog (30 ms at 27,000 products).
            *(models.Index(fields=[field, "id"], name=f"product_by_{field}") for field in SORTABLE_FIELDS),
        ]
        constraints = [
            models.UniqueConstraint(fields=["gtin"], condition=~Q(gtin=""), name="product_gtin_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_on_sale(self) -> bool:
        """ProductQuerySet.listed() for one loaded product (its brand joined)."""
        brand = self.brand
        return self.is_listed and not self.is_delisted and brand.is_active and not brand.is_suspended


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    image = models.ImageField(upload_to="products/%Y/%m/")
    thumb = models.ImageField(upload_to="products/thumb/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]


LOW_STOCK = 10  # under this, shoppers are told "only N left"


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=60)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    # Changed only by the checkout / cancel / refund services, by conditional update.
    # `stock` is what can still be bought; `reserved` is held by unpaid orders.
    stock = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    sku = models.CharField(max_length=64, blank=True)
    gtin = models.CharField(_("GTIN / barcode"), max_length=14, blank=True, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="variant_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="variant_reserved_not_negative"),
            # Names tell variants apart (case too: the services refuse "50 ml" next to "50 ML").
            # Deferred, so an edit that swaps two names is checked once, at commit.
            models.UniqueConstraint(
                fields=["product", "name"],
                name="variant_name_unique_per_product",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["gtin"], condition=~Q(gtin=""), name="variant_gtin_unique"),
        ]

    def __str__(self):
        return f"{self.product.name} / {self.name}"

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def only_left(self) -> int | None:
        """What shoppers may know of the stock: the count only when it runs low.

        The exact `stock` is the brand's business (competitors watch it).
        """
        return self.stock if 0 < self.stock < LOW_STOCK else None

    @property
    def max_quantity(self) -> int:
        """The most a shopper may pick on the page, without telling the exact stock."""
        return min(self.stock, MAX_LINE_QUANTITY) if self.stock < LOW_STOCK else MAX_LINE_QUANTITY


# --- Cart ---------------------------------------------------------------------------

MAX_LINE_QUANTITY = 99  # a sane per-line maximum; stock caps it further


class Cart(models.Model):
    """A user's cart, or a visitor's (user empty; its id lives in their session)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cart"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return f"cart {self.pk} of {self.user_id or 'a visitor'}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)
    # The note the shopper last came from to this product within the attribution window
    # (set by analytics through shop.signals.added_to_cart); the order line keeps it.
    source_note = models.ForeignKey("posts.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cartitem_one_line_per_variant"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY), name="cartitem_quantity_range"
            ),
        ]

    @property
    def line_total(self) -> Decimal:
        return self.variant.price * self.quantity


# --- Orders -------------------------------------------------------------------------


class Order(models.Model):
    """One store's order: a cart spanning several brands checks out one store at a time.

    `status` moves only through the guarded transitions in shop/orders.py, each a
    conditional UPDATE on the current status, so two workers can never both act.
    """

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("order number"), max_length=20, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    brand = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sales")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    shipping_address = models.JSONField()
    idempotency_key = models.CharField(max_length=100)
    # A hash of what the checkout was asked for: the same key with another request is a 409.
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text=_("Unpaid orders are cancelled at this time."))
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="order_idempotent_per_buyer"),
            models.CheckConstraint(condition=Q(total__gte=0, subtotal__gte=0), name="order_amounts_not_negative"),
        ]
        indexes = [
            models.Index(fields=["buyer", "-id"]),
            models.Index(fields=["brand", "status", "-id"]),
            models.Index(fields=["expires_at"], condition=Q(status="pending_payment"), name="order_pending_expiry"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        """Still holding reserved units for the buyer."""
        return self.status == self.Status.PENDING_PAYMENT

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.PENDING_PAYMENT, self.Status.PAID)

    @property
    def counts_as_sale(self) -> bool:
        """A brand buying its own product makes no sale to rank by (OrderItemQuerySet.sales)."""
        return self.buyer_id != self.brand_id


class OrderItemQuerySet(models.QuerySet):
    def sales(self):
        """Lines bought by someone other than the selling brand: a brand buying its own
        product is neither a sale (sold counts, ranking, search) nor a verified buyer."""
        return self.exclude(order__buyer_id=F("order__brand_id"))


class OrderItem(models.Model):
    """A line, with the name and price as they were when the order was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(Variant, null=True, on_delete=models.SET_NULL, related_name="order_items")
    product = models.ForeignKey(Product, null=True, on_delete=models.SET_NULL, related_name="order_items")
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveSmallIntegerField()
    # Copied from the cart line: the note this sale is attributed to (analytics).
    source_note = models.ForeignKey("posts.Note", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrderItemQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orderitem_quantity_positive")]
        indexes = [models.Index(fields=["product", "order"])]

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class Payment(models.Model):
    """One attempt to charge an order, committed before the gateway is called.

    The attempt's `idempotency_key` goes to the gateway, so a retry or a status query
    after a crash names the same charge. `status` moves pending -> succeeded | declined
    | failed, and succeeded -> refunding -> refunded; each move is a conditional UPDATE
    (shop/payment_flow.py), so the request, the webhook and the sweep never both act.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("payment status", "Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", _("Declined")
        FAILED = "failed", pgettext_lazy("payment status", "Failed")
        REFUNDING = "refunding", pgettext_lazy("payment status", "Refunding")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    gateway = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Blank on rows written before attempts existed; unique where set.
    idempotency_key = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=100, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # A charge that must be given back (refunding/refunded) still counts: one per order.
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="succeeded"), name="payment_one_success_per_order"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="payment_idempotency_key_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=Q(status__in=["pending", "refunding"]), name="payment_unsettled"
            )
        ]

    def __str__(self):
        return f"{self.order_id} {self.status} {self.amount}"


class GatewayCharge(models.Model):
    """The sandbox providers' own ledger: what a real provider keeps on its side.

    Keyed by the merchant's idempotency key, so a retried charge returns the first
    result and a status query after a crash finds it. Our order code never reads it:
    only the sandbox gateways in shop/payments.py do.
    """

    gateway = models.CharField(max_length=30)
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10)  # charge | refund
    status = models.CharField(max_length=12)  # processing | succeeded | declined
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    card_last4 = models.CharField(max_length=4, blank=True)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.gateway} {self.kind} {self.key} {self.status}"


class WebhookEvent(models.Model):
    """Each provider event id handled once: a replayed delivery is acknowledged and ignored."""

    gateway = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")]


class Address(models.Model):
    """A shipping address in the buyer's address book; the default one pre-fills checkout.

    Its fields are those of an order's `shipping_address` (shop.orders.ADDRESS_FIELDS),
    checked by the same function.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(_("recipient name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    line1 = models.CharField(_("address"), max_length=200)
    line2 = models.CharField(_("apartment, floor"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("province / state"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12)
    country = models.CharField(_("country"), max_length=60)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="one_default_address")
        ]

    def __str__(self):
        return f"{self.name}, {self.line1}, {self.city}"
