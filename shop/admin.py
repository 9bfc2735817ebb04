from django.contrib import admin, messages
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from redbook.exceptions import ServiceError
from shop import orders
from shop.models import Cart, CartItem, Category, Order, OrderItem, Payment, Product, ProductImage, Variant
from shop.product_cards import forget_products


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class VariantInline(admin.TabularInline):
    """Shown, not edited here: stock moves only through the services (brands restock
    from /shop/manage/ or the API, as a difference applied to the current count)."""

    model = Variant
    fields = ["name", "price", "stock", "reserved", "sku", "gtin", "position"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    fields = ["position", "image", "thumb", "width", "height"]
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "brand",
        "category",
        "price_min",
        "price_max",
        "total_stock",
        "notes_count",
        "is_listed",
        "is_delisted",
    ]
    list_filter = ["is_listed", "is_delisted", "category"]
    search_fields = ["name", "brand__username", "gtin", "sku"]
    list_select_related = ["brand", "category"]
    raw_id_fields = ["brand"]
    readonly_fields = ["price_min", "price_max", "notes_count", "sold_count"]
    inlines = [VariantInline, ProductImageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stock_sum=Sum("variants__stock"))

    def save_related(self, request, form, formsets, change):
        """After the product and its variants and images are saved: the list shows them."""
        super().save_related(request, form, formsets, change)
        forget_products([form.instance.pk])

    @admin.display(description=_("stock"), ordering="stock_sum")
    def total_stock(self, product):
        return product.stock_sum or 0


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ["name", "variant", "product", "unit_price", "quantity"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    fields = [
        "created_at",
        "updated_at",
        "gateway",
        "status",
        "amount",
        "currency",
        "reference",
        "card_last4",
        "message",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False


def _run_on_orders(modeladmin, request, queryset, service, done: str):
    """Admin actions go through the same services as the pages and the API."""
    succeeded = 0
    for order in queryset:
        try:
            service(order_id=order.pk, actor=request.user)
            succeeded += 1
        except ServiceError as exc:
            modeladmin.message_user(request, f"{order.number}: {exc.message}", messages.WARNING)
    if succeeded:
        modeladmin.message_user(request, done % {"n": succeeded}, messages.SUCCESS)


@admin.action(description=_("Refund selected orders (restores stock)"))
def refund_orders(modeladmin, request, queryset):
    _run_on_orders(modeladmin, request, queryset, orders.order_refund, _("%(n)d orders refunded."))


@admin.action(description=_("Cancel selected orders (before shipping; restores stock)"))
def cancel_orders(modeladmin, request, queryset):
    _run_on_orders(modeladmin, request, queryset, orders.order_cancel, _("%(n)d orders cancelled."))


@admin.action(description=_("Mark selected orders delivered"))
def deliver_orders(modeladmin, request, queryset):
    _run_on_orders(modeladmin, request, queryset, orders.order_mark_delivered, _("%(n)d orders delivered."))


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "buyer", "brand", "total", "currency", "created_at", "paid_at"]
    list_filter = ["status", ("brand", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["number", "buyer__username", "brand__username", "tracking_number"]
    list_select_related = ["buyer", "brand"]
    date_hierarchy = "created_at"
    actions = [cancel_orders, refund_orders, deliver_orders]
    inlines = [OrderItemInline, PaymentInline]
    # Status, money and stock change only through the actions (the services).
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "gateway", "status", "amount", "currency", "card_last4", "created_at"]
    list_filter = ["status", "gateway"]
    search_fields = ["order__number", "reference", "idempotency_key"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False


class CartItemInline(admin.TabularInline):
    model = CartItem
    raw_id_fields = ["variant"]
    extra = 0


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "updated_at"]
    raw_id_fields = ["user"]
    inlines = [CartItemInline]
