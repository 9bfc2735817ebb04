"""The brand's side of the shop at /shop/manage/: products and stock, orders to ship, sales."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from redbook.exceptions import ServiceError
from shop import orders, selectors, services
from shop.forms import ProductForm, ProductImagesForm, ShipForm, VariantFormSet
from shop.models import Order, Product
from shop.views import raise_for_page

PRODUCTS_SHOWN, TO_SHIP_SHOWN, RECENT_SHOWN = 100, 50, 20


def _brand_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_brand:
            raise PermissionDenied(_("The seller dashboard is for brand accounts."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_brand_only
def manage(request):
    brand = request.user
    context = {
        "products": selectors.products_base().filter(brand=brand).order_by("-id")[:PRODUCTS_SHOWN],
        "to_ship": selectors.orders_for_brand(brand=brand, status=Order.Status.PAID).order_by("paid_at")[
            :TO_SHIP_SHOWN
        ],
        "recent": selectors.orders_for_brand(brand=brand)[:RECENT_SHOWN],
        "ship_form": ShipForm(),
    }
    return render(request, "shop/manage.html", context)


def _variants_from(formset) -> list[dict]:
    """New rows whole; existing rows only what changed, stock as the difference typed.

    The brand saw 10 and typed 15: that is "+5", applied to the count as it is now,
    so units sold while the form was open are not written back.
    """
    variants = []
    for form in formset.forms:
        if not form.cleaned_data or not form.has_changed():
            continue
        if form.instance.pk is None:
            variants.append({key: form.cleaned_data[key] for key in ("name", "price", "stock", "gtin")})
            continue
        data = {"id": form.instance.pk}
        data.update({key: form.cleaned_data[key] for key in ("name", "price", "gtin") if key in form.changed_data})
        if "stock" in form.changed_data:
            data["stock_add"] = form.cleaned_data["stock"] - form.stock_seen()
        variants.append(data)
    return variants


def _product_form_page(request, product: Product | None):
    form = ProductForm(request.POST or None, instance=product)
    formset = VariantFormSet(request.POST or None, instance=product or Product(), prefix="variants")
    images = ProductImagesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid() and images.is_valid():
        fields = {
            "name": form.cleaned_data["name"],
            "description": form.cleaned_data["description"],
            "category": form.cleaned_data["category"] and form.cleaned_data["category"].pk,
            "gtin": form.cleaned_data["gtin"],
            "variants": _variants_from(formset),
            "images": images.cleaned_data["images"],
        }
        try:
            if product is None:
                saved = services.product_create(brand=request.user, **fields)
            else:
                fields["is_listed"] = form.cleaned_data["is_listed"]
                saved = services.product_update(product_id=product.pk, actor=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except ServiceError as exc:
            raise_for_page(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Product saved."))
            return redirect("shop:product-detail", product_id=saved.pk)
    context = {"form": form, "formset": formset, "images_form": images, "product": product}
    return render(request, "shop/manage_product_form.html", context, status=400 if request.method == "POST" else 200)


@_brand_only
def product_create(request):
    return _product_form_page(request, None)


@_brand_only
def product_edit(request, product_id):
    product = Product.objects.filter(pk=product_id, brand=request.user).first()
    if product is None:
        raise PermissionDenied(_("You can only edit your own products."))
    return _product_form_page(request, product)


@_brand_only
@require_POST
def order_ship(request, order_id):
    form = ShipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter the tracking number."))
        orders.order_ship(order_id=order_id, actor=request.user, tracking_number=form.cleaned_data["tracking_number"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ServiceError as exc:
        raise_for_page(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as shipped. The buyer can now follow the parcel."))
    return redirect("shop:manage")


@_brand_only
@require_POST
def order_refund(request, order_id):
    try:
        orders.order_refund(order_id=order_id, actor=request.user)
    except ServiceError as exc:
        raise_for_page(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order refunded and its units are back on sale."))
    return redirect("shop:manage")
