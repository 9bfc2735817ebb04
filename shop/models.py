from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def listed(self):
        """On sale: listed, not delisted by moderation, by a brand in good standing."""
        return self.filter(is_listed=True, is_delisted=False, brand__is_active=True, brand__is_suspended=False)


class Product(models.Model):
    brand = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    currency = models.CharField(max_length=3, default="CNY")
    # Partner lookups (barcode / the brand's own SKU) come later; carry them from the start.
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
        indexes = [models.Index(fields=["brand", "-id"]), models.Index(fields=["category", "-id"])]

    def __str__(self):
        return self.name


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    image = models.ImageField(upload_to="products/%Y/%m/")
    thumb = models.ImageField(upload_to="products/thumb/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=60)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    # Changed only by the checkout / cancel / refund services, by conditional update.
    stock = models.IntegerField(default=0)
    sku = models.CharField(max_length=64, blank=True)
    gtin = models.CharField(max_length=14, blank=True, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="variant_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
        ]

    def __str__(self):
        return f"{self.product.name} / {self.name}"

    @property
    def in_stock(self) -> bool:
        return self.stock > 0
