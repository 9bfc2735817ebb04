"""Shopper pages: mall, store, product, cart, checkout, orders. Thin: parse, call, render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from posts.cards import note_cards, viewer_marks
from redbook import numbers
from redbook.exceptions import Forbidden, NotFound, ServiceError
from redbook.visitors import visitor_key
from shop import addresses, orders, selectors, services
from shop.forms import AddressForm, AddToCartForm, CartQuantityForm, CheckoutForm, PayForm
from shop.models import Order, Payment
from shop.signals import product_viewed
from shop.templatetags.shop_tags import money

PRODUCTS_PER_PAGE = 24
NOTES_ON_PRODUCT_PAGE = 30
NOTES_ON_STORE_PAGE = 12


def raise_for_page(exc: ServiceError) -> None:
    """404 and 403 are pages of their own; other service errors become a message."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc


def _back(request, fallback: str):
    target = request.POST.get("next") or request.headers.get("referer") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _note_card_context(request, note_ids, product=None) -> dict:
    """The cards of these notes (`posts.cards.NoteCard`), hearts, and buyer or brand ribbons."""
    notes = note_cards(note_ids, request.user)
    marks = viewer_marks(request.user, notes)
    verified = selectors.verified_buyer_note_ids(notes=notes, product_id=product and product.pk)
    return {
        "notes": notes,
        "liked_ids": marks.liked,
        "saved_ids": marks.saved,
        "verified_note_ids": verified,
        "brand_author_id": product and product.brand_id,  # the brand's own notes get a ribbon
    }


# --- Catalog ---------------------------------------------------------------------------


def mall(request):
    category = request.GET.get("category", "").strip()
    q = request.GET.get("q", "").strip()
    products = selectors.products_listed(q=q, category=category).order_by("-notes_count", "-id")
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(numbers.request_page(request))
    return render(
        request,
        "shop/mall.html",
        {
            "categories": selectors.categories_all(),
            "brands": selectors.brands_with_products(),
            "page": page,
            "category": category,
            "q": q,
        },
    )


def store(request, username):
    try:
        brand = selectors.brand_get_store(username=username)
    except ServiceError as exc:
        raise_for_page(exc)
    products = selectors.products_listed(brand=brand.username).order_by("-notes_count", "-id")
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(numbers.request_page(request))
    notes = selectors.brand_notes(brand=brand, viewer=request.user).values_list("pk", flat=True)
    context = {"brand": brand, "page": page, **_note_card_context(request, notes[:NOTES_ON_STORE_PAGE])}
    return render(request, "shop/store.html", context)


# The product page's note filters: ?notes=<key> -> (label, product_notes arguments).
NOTE_FILTERS = {
    "all": (gettext_lazy("All"), {}),
    "community": (gettext_lazy("Community"), {"source": "community"}),
    "brand": (gettext_lazy("From the brand"), {"source": "brand"}),
    "buyers": (gettext_lazy("Verified buyers"), {"source": "community", "buyers_only": True}),
}


def _notes_filter(request) -> str:
    if request.GET.get("buyers") == "1":  # the filter's name in links made before ?notes=
        return "buyers"
    wanted = request.GET.get("notes", "all")
    return wanted if wanted in NOTE_FILTERS else "all"


def product_detail(request, product_id):
    try:
        product = selectors.product_get_visible(product_id=product_id, viewer=request.user)
    except ServiceError as exc:
        raise_for_page(exc)
    notes_filter = _notes_filter(request)
    _label, arguments = NOTE_FILTERS[notes_filter]
    notes_qs = selectors.product_notes(product=product, viewer=request.user, **arguments)
    notes_page = Paginator(notes_qs.values_list("pk", flat=True), NOTES_ON_PRODUCT_PAGE).get_page(
        numbers.request_page(request)
    )
    first_in_stock = next((v for v in product.variants.all() if v.in_stock), None)
    product_viewed.send(sender=product_detail, product=product, request=request)
    return render(
        request,
        "shop/product_detail.html",
        {
            "product": product,
            "notes_filter": notes_filter,
            "notes_filters": [(key, label) for key, (label, _arguments) in NOTE_FILTERS.items()],
            "notes_page": notes_page,
            "selected_variant": first_in_stock,
            "form": AddToCartForm(initial={"variant_id": first_in_stock.pk if first_in_stock else None}),
            **_note_card_context(request, list(notes_page.object_list), product=product),
        },
    )


# --- Cart ----------------------------------------------------------------------------------


def cart(request):
    return _cart_page(request)


def _cart_page(request, *, status: int = 200):
    summary = selectors.cart_summary(services.cart_for_request(request, create=False))
    return render(request, "shop/cart.html", {"cart": summary}, status=status)


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a variant and a quantity from 1 to 99."))
        return _back(request, reverse("shop:mall"))
    try:
        cart = services.cart_for_request(request, create=True)
        item = services.cart_item_add(cart=cart, visitor=visitor_key(request), **form.cleaned_data)
    except (ServiceError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return _back(request, reverse("shop:mall"))
    if request.POST.get("buy_now"):  # the phone's buy bar: straight on to this store's checkout
        brand = item.variant.product.brand.username
        return redirect(f"{reverse('shop:checkout')}?{urlencode({'brand': brand})}")
    messages.success(request, _("Added to your cart."))
    return redirect("shop:cart")


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return exc.message


@require_POST
def cart_item(request, item_id):
    """Change a line's quantity, or remove it (the "remove" button)."""
    cart = services.cart_for_request(request, create=False)
    try:
        if "remove" in request.POST:
            services.cart_item_remove(cart=cart, item_id=item_id)
        else:
            form = CartQuantityForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a quantity from 1 to 99."))
            services.cart_item_update(cart=cart, item_id=item_id, quantity=form.cleaned_data["quantity"])
    except (ServiceError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return _cart_page(request, status=400)  # the cart as it was, with the message
    return redirect("shop:cart")


# --- Checkout and orders ----------------------------------------------------------------------


def _checkout_store(request) -> dict | None:
    """The one store being checked out (from `?brand=` or the only one in the cart)."""
    summary = selectors.cart_summary(services.cart_for_request(request, create=False))
    brand = request.POST.get("brand") or request.GET.get("brand", "")
    stores = [s for s in summary["stores"] if not brand or s["brand"].username == brand]
    if not stores:
        messages.info(request, _("Your cart is empty."))
        return None
    if len(stores) > 1:
        messages.info(request, _("Your cart has items from several stores: check out one store at a time."))
        return None
    return stores[0]


def _form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: per field where it names one."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


def _place_order(request, form: CheckoutForm, brand_username: str) -> Order | None:
    """The order, or None with the errors put on the form."""
    if not form.is_valid():
        return None
    try:
        order, _created = orders.order_checkout(
            buyer=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
            shipping_address=form.address(),
            brand_username=brand_username,
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        return None
    except ServiceError as exc:
        raise_for_page(exc)
        form.add_error(None, exc.message)
        return None
    return order


def _remember_address(request, order: Order) -> None:
    """Save the order's address in the address book; the order stands whatever happens here."""
    try:
        addresses.address_remember(user=request.user, data=order.shipping_address)
    except ServiceError as exc:
        messages.info(request, exc.message)


@login_required
def checkout(request):
    store_summary = _checkout_store(request)
    if store_summary is None:
        return redirect("shop:cart")
    saved = list(selectors.addresses_for(user=request.user))
    initial = {
        "brand": store_summary["brand"].username,
        "save_address": not saved,
        **(addresses.address_fields(saved[0]) if saved else {}),  # the default one comes first
    }
    form = CheckoutForm(request.POST or None, initial=initial)
    if request.method == "POST":
        order = _place_order(request, form, store_summary["brand"].username)
        if order is not None:
            if form.cleaned_data["save_address"]:
                _remember_address(request, order)
            until = time_format(timezone.localtime(order.expires_at), "H:i")
            messages.success(request, _("Order placed. Your items are held for you until %(time)s.") % {"time": until})
            return redirect("shop:order-detail", order_id=order.pk)
    context = {
        "form": form,
        "store": store_summary,
        "hold_minutes": orders.hold_minutes(),
        # Each with its fields as JSON: picking one fills the form in (static/js/shop.js).
        "saved_addresses": [(a, json.dumps(addresses.address_fields(a))) for a in saved],
    }
    return render(request, "shop/checkout.html", context, status=400 if form.errors else 200)


@login_required
def order_list(request):
    page = Paginator(selectors.orders_for_buyer(buyer=request.user), 20).get_page(numbers.request_page(request))
    return render(request, "shop/order_list.html", {"page": page})


@login_required
def order_detail(request, order_id):
    try:
        order = selectors.order_get_visible(order_id=order_id, viewer=request.user)
    except ServiceError as exc:
        raise_for_page(exc)
    return render(
        request,
        "shop/order_detail.html",
        {"order": order, "is_buyer": order.buyer_id == request.user.pk, "pay_form": PayForm()},
    )


@login_required
@require_POST
def order_pay(request, order_id):
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your card number."))
        return redirect("shop:order-detail", order_id=order_id)
    try:
        order = orders.order_pay(order_id=order_id, buyer=request.user, card_number=form.cleaned_data["card_number"])
    except ServiceError as exc:
        raise_for_page(exc)
        messages.error(request, exc.message)
    else:
        if order.status == order.Status.PENDING_PAYMENT:
            messages.info(request, _("Your payment is being confirmed. This page will show it once it is."))
        else:
            messages.success(request, _("Payment received. The store will ship your order soon."))
    return redirect("shop:order-detail", order_id=order_id)


def _order_action(request, order_id, service, done_message):
    """Run an order service; `done_message` is the text, or makes it from the order."""
    try:
        order = service(order_id=order_id, actor=request.user)
    except ServiceError as exc:
        raise_for_page(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message(order) if callable(done_message) else done_message)
    return _back(request, reverse("shop:order-detail", args=[order_id]))


def _cancelled_message(order: Order) -> str:
    if order.paid_at is None:
        return _("Order cancelled. Nothing was charged.")
    amount = money(order.total, order.currency)
    if order.payments.filter(status=Payment.Status.REFUNDED).exists():
        return _("Order cancelled. %(amount)s has been refunded to your card.") % {"amount": amount}
    # The gateway has not confirmed yet: the payments sweep finishes the refund.
    return _("Order cancelled. The refund of %(amount)s is on its way to your card.") % {"amount": amount}


@login_required
@require_POST
def order_cancel(request, order_id):
    return _order_action(request, order_id, orders.order_cancel, _cancelled_message)


@login_required
@require_POST
def order_receive(request, order_id):
    return _order_action(request, order_id, orders.order_mark_delivered, _("Thanks! Enjoy, and tell others in a note."))


# --- Address book ------------------------------------------------------------------------------


@login_required
def address_book(request):
    """The saved addresses, and a form to add one (made the default when asked)."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            addresses.address_create(
                user=request.user, data=form.address(), is_default=request.POST.get("is_default") == "on"
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Address saved."))
            return redirect("shop:addresses")
    context = {"form": form, "addresses": selectors.addresses_for(user=request.user)}
    return render(request, "shop/addresses.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def address_make_default(request, address_id):
    try:
        addresses.address_update(user=request.user, address_id=address_id, data={}, is_default=True)
    except ServiceError as exc:
        raise_for_page(exc)
    messages.success(request, _("Default address changed."))
    return redirect("shop:addresses")


@login_required
@require_POST
def address_delete(request, address_id):
    try:
        addresses.address_delete(user=request.user, address_id=address_id)
    except ServiceError as exc:
        raise_for_page(exc)
    messages.success(request, _("Address deleted."))
    return redirect("shop:addresses")
