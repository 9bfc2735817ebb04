"""Page forms. They check shapes; the services own the rules (stock, ownership, prices)."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from redbook import input_fields, numbers
from redbook.input_fields import DecimalFormField, IntegerFormField
from shop.gtin import gtin_clean, gtin_display
from shop.models import MAX_LINE_QUANTITY, Category, Order, Product, Variant
from shop.orders import ADDRESS_FIELDS


class AddToCartForm(forms.Form):
    variant_id = IntegerFormField(widget=forms.HiddenInput, min_value=1)
    quantity = IntegerFormField(label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)


class CartQuantityForm(forms.Form):
    quantity = IntegerFormField(label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY)


ADDRESS_LABELS = {
    "name": _("Recipient name"),
    "phone": _("Phone"),
    "line1": _("Address"),
    "line2": _("Apartment, floor (optional)"),
    "city": _("City"),
    "region": _("Province / state (optional)"),
    "postal_code": _("Postal code"),
    "country": _("Country"),
}
AUTOCOMPLETE = {
    "name": "name",
    "phone": "tel",
    "line1": "address-line1",
    "line2": "address-line2",
    "city": "address-level2",
    "region": "address-level1",
    "postal_code": "postal-code",
    "country": "country-name",
}


class AddressForm(forms.Form):
    """A shipping address; the service validates it (one set of rules with the API)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (required, max_length) in ADDRESS_FIELDS.items():
            self.fields[name] = forms.CharField(
                label=ADDRESS_LABELS[name],
                required=required,
                max_length=max_length,
                widget=forms.TextInput(attrs={"autocomplete": AUTOCOMPLETE[name]}),
            )
        self.fields["country"].initial = _("China")

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ADDRESS_FIELDS}

    def address_fields(self) -> list:
        """The address's bound fields, in order (for templates)."""
        return [self[name] for name in ADDRESS_FIELDS]


class CheckoutForm(AddressForm):
    # Drawn when the page is rendered: submitting twice places one order.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    brand = forms.CharField(widget=forms.HiddenInput, required=False)
    save_address = forms.BooleanField(label=_("Save for next time"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex


class PayForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-number", "placeholder": "4242 4242 4242 4242"}
        ),
    )


class ShipForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=input_fields.max_length_of(Order, "tracking_number")
    )


class GtinFormField(forms.CharField):
    """A barcode number as printed (EAN-8, UPC-A, EAN-13, GTIN-14); stored in its 14-digit form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("GTIN / barcode"))
        kwargs.setdefault("help_text", _("Optional: the number under the barcode (8, 12, 13 or 14 digits)."))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return gtin_display(value) if isinstance(value, str) else value

    def clean(self, value):
        value = super().clean(value)
        try:
            return gtin_clean(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["gtin"]) from None


class ProductForm(forms.ModelForm):
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False, label=_("Category"))
    gtin = GtinFormField()

    class Meta:
        model = Product
        fields = ["name", "description", "category", "gtin", "is_listed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class ImagesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImagesField(forms.FileField):
    """Several files from one <input multiple>; the image pipeline checks their content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ImagesInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImagesField, self).clean(upload, initial) for upload in files]


class ProductImagesForm(forms.Form):
    images = MultipleImagesField(label=_("Photos"), required=False)


class VariantForm(forms.ModelForm):
    class Meta:
        model = Variant
        fields = ["name", "price", "stock", "gtin"]
        field_classes = {"price": DecimalFormField, "stock": IntegerFormField, "gtin": GtinFormField}
        # Variant's price and stock have no verbose names: their labels are translated here.
        labels = {"price": _("Price"), "stock": _("Stock")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A hidden copy of the stock shown, so a save applies the difference typed.
        self.fields["stock"].show_hidden_initial = True

    def stock_seen(self) -> int:
        """The stock the brand saw when the page was rendered."""
        try:
            return numbers.parse_int(self.data.get(self.add_initial_prefix("stock")), min_value=0)
        except ValueError:
            return self.initial.get("stock", 0)


VariantFormSet = inlineformset_factory(
    Product,
    Variant,
    form=VariantForm,
    extra=1,
    can_delete=False,
    min_num=1,
    validate_min=True,
    max_num=30,
)
