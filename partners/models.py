"""Partner shops that show RedBook's community notes on their product pages."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_RATE_PER_MINUTE = 600


class Partner(models.Model):
    """A shop staff created. Revoked (`is_active` off): its keys, API and widget stop at once."""

    name = models.CharField(_("name"), max_length=120)
    # Appears in the widget's markup and in links (ref=partner:<public_id>): not a secret.
    public_id = models.SlugField(_("public id"), max_length=40, unique=True)
    rate_per_minute = models.PositiveIntegerField(_("API calls per minute"), default=DEFAULT_RATE_PER_MINUTE)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    @property
    def origin_list(self) -> list[str]:
        return [origin.origin for origin in self.origins.all()]


class PartnerOrigin(models.Model):
    """A web origin (scheme://host[:port]) of the partner's pages: CORS and framing allow it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="origins")
    origin = models.CharField(_("origin"), max_length=200, db_index=True)

    class Meta:
        verbose_name = _("allowed origin")
        verbose_name_plural = _("allowed origins")
        constraints = [models.UniqueConstraint(fields=["partner", "origin"], name="partner_origin_unique")]

    def __str__(self):
        return self.origin


class PartnerKeyQuerySet(models.QuerySet):
    def usable(self):
        """Keys that authenticate now: not revoked, not past their grace period, partner active."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, partner__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class PartnerKey(models.Model):
    """An API key, stored only as its SHA-256 (keys are long random strings: a slow hash
    buys nothing and would cost every call). `prefix` lets staff tell keys apart."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when a newer key replaced this one: it keeps working until then (the grace period).
    expires_at = models.DateTimeField(_("works until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.prefix}…"


class PartnerDay(models.Model):
    """A partner's day: API calls, how many of them were refused (4xx), clicks back to RedBook."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    calls = models.PositiveIntegerField(_("API calls"), default=0)
    client_errors = models.PositiveIntegerField(_("4xx answers"), default=0)
    clicks = models.PositiveIntegerField(_("clicks back"), default=0)

    class Meta:
        verbose_name = _("day")
        verbose_name_plural = _("daily log")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["partner", "day"], name="partner_day_unique")]

    def __str__(self):
        return f"{self.partner_id} {self.day}"
