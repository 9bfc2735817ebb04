"""Analytics: raw events (kept 90 days), attribution touches (7 days), daily rollups (kept).

Ids of brands, products, notes and creators are plain integers, not foreign keys: an
event or a rollup outlives a deleted note or product (the figures were real), and the
buffered inserts need no row checks. Events carry no buyer: nothing here can name one.
"""

from django.db import models


class Kind(models.IntegerChoices):
    PRODUCT_VIEW = 1, "product_view"
    NOTE_CLICK = 2, "note_click"
    ADD_TO_CART = 3, "add_to_cart"
    ORDER = 4, "order"  # one per order line, at payment
    REFUND = 5, "refund"  # one per order line, negative units and revenue, dated on the paid day


class Event(models.Model):
    """One thing that happened, once: `event_id` makes a retried delivery a no-op."""

    event_id = models.CharField(max_length=80, unique=True)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    day = models.DateField()  # the local day it counts on
    occurred_at = models.DateTimeField()
    brand_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    note_id = models.BigIntegerField(null=True, blank=True)
    creator_id = models.BigIntegerField(null=True, blank=True)  # the note's author
    order_id = models.BigIntegerField(null=True, blank=True)
    units = models.IntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="CNY")

    class Meta:
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return self.event_id


class Touch(models.Model):
    """The note a visitor last came from to a product (last touch wins), for 7 days."""

    visitor = models.CharField(max_length=40)  # redbook.visitors: u:<id> or s:<token>
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey("posts.Note", on_delete=models.CASCADE, related_name="+")
    touched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visitor", "product"], name="touch_one_per_visitor_product")]
        indexes = [models.Index(fields=["touched_at"])]


class Scope(models.IntegerChoices):
    BRAND = 1, "brand"  # brand_id
    PRODUCT = 2, "product"  # brand_id, product_id
    BRAND_NOTE = 3, "brand_note"  # brand_id, note_id, creator_id: what a note did for a brand
    NOTE = 4, "note"  # note_id, creator_id: everything about a note (all brands)
    CREATOR = 5, "creator"  # creator_id


class DailyStat(models.Model):
    """A day's figures for one brand, product, note (per brand or in all) or creator.

    Rebuilt a whole day at a time from the events (and, for creators, from the views,
    likes, saves, comments and follows) by analytics.rollups; the dashboards read only these.
    """

    day = models.DateField()
    scope = models.PositiveSmallIntegerField(choices=Scope.choices)
    brand_id = models.BigIntegerField(null=True)
    product_id = models.BigIntegerField(null=True)
    note_id = models.BigIntegerField(null=True)
    creator_id = models.BigIntegerField(null=True)
    # From events
    product_views = models.IntegerField(default=0)
    note_clicks = models.IntegerField(default=0)
    add_to_cart = models.IntegerField(default=0)
    orders = models.IntegerField(default=0)  # net of refunds
    units = models.IntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    refunds = models.IntegerField(default=0)
    # Creator engagement (NOTE and CREATOR scopes)
    views = models.IntegerField(default=0)
    likes = models.IntegerField(default=0)
    saves = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    new_followers = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "brand_id", "day"], name="dailystat_brand_day"),
            models.Index(fields=["scope", "creator_id", "day"], name="dailystat_creator_day"),
            models.Index(fields=["day", "scope"], name="dailystat_day"),
        ]


class DirtyDay(models.Model):
    """A day whose rollups must be rebuilt (late events, refunds of older orders)."""

    day = models.DateField(primary_key=True)
