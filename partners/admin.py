"""Partners in the admin: create (the key is shown once), origins, rotate or revoke keys,
and each partner's daily log (API calls, 4xx answers, clicks back)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners import services
from partners.models import Partner, PartnerDay, PartnerKey

DAYS_SHOWN = 30


class PartnerForm(forms.ModelForm):
    origins_text = forms.CharField(
        label=_("Allowed origins"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. https://shop.example (scheme, host and port; no path)."),
    )

    class Meta:
        model = Partner
        fields = ["name", "public_id", "rate_per_minute", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "public_id" in self.fields:
            self.fields["public_id"].required = False
            self.fields["public_id"].help_text = _("Leave empty to generate one. It appears in partners' pages.")
        if self.instance.pk:
            self.initial["origins_text"] = "\n".join(self.instance.origin_list)

    def clean_origins_text(self):
        try:
            return services.origins_clean(self.cleaned_data["origins_text"].splitlines())
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["origins"]) from None


class PartnerKeyInline(admin.TabularInline):
    model = PartnerKey
    fields = ["prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PartnerDayInline(admin.TabularInline):
    model = PartnerDay
    fields = ["day", "calls", "client_errors", "clicks"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Daily log (last 30 days)")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        recent = queryset.order_by("-day").values("pk")[:DAYS_SHOWN]
        return queryset.filter(pk__in=recent).order_by("-day")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "public_id", "origins_shown", "rate_per_minute", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "public_id", "origins__origin"]
    inlines = [PartnerKeyInline, PartnerDayInline]
    actions = ["rotate_keys", "revoke_partners"]

    def get_readonly_fields(self, request, obj=None):
        return ["public_id", "is_active"] if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("origins")

    @admin.display(description=_("Allowed origins"))
    def origins_shown(self, partner):
        return ", ".join(partner.origin_list)

    def save_model(self, request, obj, form, change):
        origins = form.cleaned_data["origins_text"]
        if change:
            super().save_model(request, obj, form, change)
            services.partner_origins_set(partner=obj, origins=origins)
            return
        partner, key = services.partner_create(
            name=obj.name, origins=origins, public_id=obj.public_id, rate_per_minute=obj.rate_per_minute
        )
        obj.pk, obj.public_id, obj.created_at = partner.pk, partner.public_id, partner.created_at
        obj._state.adding = False
        self._show_key_once(request, partner, key)

    @staticmethod
    def _show_key_once(request, partner, key):
        messages.warning(
            request,
            format_html(
                "{} <code>{}</code> {}",
                _("API key of %(name)s:") % {"name": partner.name},
                key,
                _("Copy it now: it is stored only as a hash and will not be shown again."),
            ),
        )

    @admin.action(description=_("Rotate the API key (the old one works 24 more hours)"))
    def rotate_keys(self, request, queryset):
        for partner in queryset.filter(is_active=True):
            self._show_key_once(request, partner, services.partner_key_rotate(partner=partner))

    @admin.action(description=_("Revoke: refuse every key, close the API and widget"))
    def revoke_partners(self, request, queryset):
        partners = list(queryset)
        for partner in partners:
            services.partner_revoke(partner=partner)
        count = len(partners)
        messages.success(request, ngettext("%(n)d partner revoked.", "%(n)d partners revoked.", count) % {"n": count})
