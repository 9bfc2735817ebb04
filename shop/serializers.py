"""The Shop JSON shapes of shared/API.md: Product, cart, Order. Money as decimal strings."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from accounts.api import UserSerializer
from redbook import input_fields
from redbook.parsers import json_loads_capped
from shop.gtin import gtin_display
from shop.models import Address, CartItem, Category, Order, OrderItem, Product, ProductImage, Variant
from shop.templatetags.shop_tags import price_range


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request else url


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumb_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["url", "thumb_url", "width", "height"]

    def get_url(self, image) -> str:
        return _absolute(self.context.get("request"), image.image.url)

    def get_thumb_url(self, image) -> str:
        return _absolute(self.context.get("request"), image.thumb.url)


class GtinField(serializers.CharField):
    """A stored GTIN as printed under the barcode (EAN-13 for a 14-digit form with a leading
    zero, so an EAN-13 sent comes back as sent), or null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return gtin_display(value) if value else None


class VariantSerializer(serializers.ModelSerializer):
    """`stock` is dropped by ProductSerializer for all but the brand and staff."""

    gtin = GtinField()
    in_stock = serializers.BooleanField(read_only=True)
    only_left = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Variant
        fields = ["id", "name", "price", "in_stock", "only_left", "stock", "gtin"]


def sees_exact_stock(viewer, brand_id: int) -> bool:
    """The exact stock is the selling brand's (and staff's) to know; shoppers get `only_left`."""
    return bool(viewer and viewer.is_authenticated and (viewer.is_staff or viewer.pk == brand_id))


class ProductSerializer(serializers.ModelSerializer):
    """Product summary and detail; `notes` is added by the detail view."""

    brand = UserSerializer(read_only=True)
    gtin = GtinField()
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    images = ProductImageSerializer(many=True, read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    # The price as pages write it ("¥129.00", or a range): what a picker shows beside the name.
    price_display = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "brand",
            "category",
            "category_name",
            "images",
            "price_min",
            "price_max",
            "price_display",
            "currency",
            "gtin",
            "variants",
            "rating",
            "notes_count",
            "sold_count",
            "is_listed",
        ]
        read_only_fields = fields

    def to_representation(self, product):
        data = super().to_representation(product)
        request = self.context.get("request")
        if not sees_exact_stock(request and request.user, product.brand_id):
            for variant in data["variants"]:
                variant.pop("stock", None)
        return data

    def get_price_display(self, product) -> str:
        return price_range(product)


class ProductWriteSerializer(serializers.Serializer):
    """Shapes only; the service checks the values (one set of rules for API and pages)."""

    name = serializers.CharField(max_length=input_fields.max_length_of(Product, "name"), required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    category = serializers.JSONField(required=False, allow_null=True)
    variants = serializers.JSONField(required=False)
    is_listed = serializers.BooleanField(required=False)
    # Any of EAN-8, UPC-A, EAN-13, GTIN-14 (check digit verified by the service); "" clears it.
    gtin = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def validate_variants(self, value):
        if isinstance(value, str):  # multipart sends the list as a JSON string
            try:
                value = json_loads_capped(value)
            except ParseError as exc:
                raise serializers.ValidationError(_("Send variants as a JSON list.")) from exc
        return value


class CartItemSerializer(serializers.ModelSerializer):
    variant_id = serializers.IntegerField(read_only=True)
    product_id = serializers.IntegerField(source="variant.product_id", read_only=True)
    name = serializers.CharField(source="variant.product.name", read_only=True)
    variant_name = serializers.CharField(source="variant.name", read_only=True)
    unit_price = serializers.DecimalField(source="variant.price", max_digits=10, decimal_places=2, read_only=True)
    line_total = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField(source="variant.in_stock", read_only=True)
    only_left = serializers.IntegerField(source="variant.only_left", read_only=True, allow_null=True)
    brand = serializers.CharField(source="variant.product.brand.username", read_only=True)
    source_note_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = CartItem
        fields = [
            "id",
            "variant_id",
            "product_id",
            "name",
            "variant_name",
            "unit_price",
            "quantity",
            "line_total",
            "in_stock",
            "only_left",
            "brand",
            "source_note_id",
        ]

    def get_line_total(self, item) -> str:
        return f"{item.line_total:.2f}"


class CartItemInputSerializer(serializers.Serializer):
    variant_id = serializers.JSONField()
    quantity = serializers.JSONField(required=False, default=1)


class CartSerializer(serializers.Serializer):
    items = CartItemSerializer(many=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


def cart_data(summary: dict) -> dict:
    return {
        "items": CartItemSerializer(summary["items"], many=True).data,
        "subtotal": f"{summary['subtotal']:.2f}",
        "currency": summary["currency"],
    }


class OrderItemSerializer(serializers.ModelSerializer):
    variant_id = serializers.IntegerField(read_only=True)
    product_id = serializers.IntegerField(read_only=True)
    source_note_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = OrderItem
        fields = ["variant_id", "product_id", "name", "unit_price", "quantity", "source_note_id"]


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    brand = serializers.CharField(source="brand.username", read_only=True)
    buyer = serializers.CharField(source="buyer.username", read_only=True)
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "status",
            "items",
            "subtotal",
            "shipping_fee",
            "total",
            "currency",
            "shipping_address",
            "tracking_number",
            "brand",
            "buyer",
            "created_at",
            "expires_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "cancelled_at",
            "refunded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expires_at(self, order):
        """When the hold ends; only an unpaid order has one."""
        return serializers.DateTimeField().to_representation(order.expires_at) if order.is_open else None


class ProductDetailSerializer(ProductSerializer):
    """For the schema: the detail adds `notes`, each note with `verified_buyer`."""

    notes = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "notes"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name"]


class CheckoutInputSerializer(serializers.Serializer):
    """For the schema; the address is checked by shop.orders.shipping_address_clean."""

    shipping_address = serializers.DictField(
        help_text="name, phone, line1, line2?, city, region?, postal_code, country"
    )
    brand = serializers.CharField(required=False, help_text="The store to check out when the cart has several.")


class PayInputSerializer(serializers.Serializer):
    card_number = serializers.CharField()


class ShipInputSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=input_fields.max_length_of(Order, "tracking_number"))


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "name", "phone", "line1", "line2", "city", "region", "postal_code", "country", "is_default"]
        read_only_fields = fields


class AddressInputSerializer(serializers.Serializer):
    """Shapes only: `shop.orders.shipping_address_clean` checks the values, as at checkout."""

    name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    line1 = serializers.CharField(required=False, allow_blank=True)
    line2 = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True)
    is_default = serializers.BooleanField(required=False)
