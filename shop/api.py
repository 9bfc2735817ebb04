"""Shop JSON API (shared/API.md "Shop"): thin views over shop selectors and services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from posts.api import serialize_notes
from posts.cards import note_cards
from redbook.exceptions import Forbidden, Invalid
from redbook.pagination import CursorPagination, page_schema
from redbook.renderers import HOT_RENDERERS
from redbook.throttling import CheckoutThrottle
from redbook.visitors import visitor_key
from shop import addresses, orders, payment_flow, selectors, services
from shop.payments import SIGNATURE_HEADER
from shop.product_cards import product_summaries
from shop.serializers import (
    AddressInputSerializer,
    AddressSerializer,
    CartItemInputSerializer,
    CartItemSerializer,
    CartSerializer,
    CategorySerializer,
    CheckoutInputSerializer,
    OrderSerializer,
    PayInputSerializer,
    ProductDetailSerializer,
    ProductSerializer,
    ProductWriteSerializer,
    ShipInputSerializer,
    cart_data,
)
from shop.signals import product_viewed

PRODUCT_NOTES_ON_DETAIL = 10


def _user_context(request, users) -> dict:
    """Serializer context with "followed by me" for a whole page in one query."""
    ids = account_selectors.followed_ids(viewer=request.user, user_ids={u.pk for u in users})
    return {"request": request, "followed_ids": ids}


def _product_notes_data(request, note_ids: list[int], *, product) -> list:
    """Notes about a product, each marked `verified_buyer` and `from_brand` (its brand's own)."""
    notes = note_cards(note_ids, request.user)
    data = serialize_notes(notes, request=request)
    verified = selectors.verified_buyer_note_ids(notes=notes, product_id=product.pk)
    for note, row in zip(notes, data, strict=True):
        row["verified_buyer"] = note.pk in verified
        row["from_brand"] = note.author_id == product.brand_id
    return data


# --- Products -----------------------------------------------------------------------


class ProductPagination(CursorPagination):
    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get("ordering") or "newest"
        if value not in selectors.ORDERINGS:
            message = _("Unknown ordering; use one of: %(choices)s.") % {"choices": ", ".join(selectors.ORDERINGS)}
            raise Invalid(message, code="invalid_ordering")
        self.ordering = selectors.ORDERINGS[value]
        # The page as rows of ids and the ordering's columns (the cursor's position): the
        # products themselves come from their summaries (shop/product_cards.py).
        keys = queryset.prefetch_related(None).values("id", *{field.lstrip("-") for field in self.ordering})
        return super().paginate_queryset(keys, request, view)


def _product_write_args(request) -> dict:
    body = ProductWriteSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    args = {**body.validated_data, "images": request.FILES.getlist("images")}
    if "is_listed" not in request.data:  # a form field left out of multipart reads as False
        args.pop("is_listed", None)
    return args


class ProductListView(APIView):
    renderer_classes = HOT_RENDERERS

    pagination_class = ProductPagination

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in ("q", "brand", "category", "ordering")],
        responses={200: ProductSerializer(many=True)},
    )
    def get(self, request):
        products = selectors.products_listed(
            q=request.query_params.get("q", "").strip(),
            brand=request.query_params.get("brand", "").strip(),
            category=request.query_params.get("category", "").strip(),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(products, request, view=self)
        return paginator.get_paginated_response(product_summaries([row["id"] for row in page], request))

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def post(self, request):
        product = services.product_create(brand=request.user, **_product_write_args(request))
        return _product_response(request, product.pk, status.HTTP_201_CREATED)


def _product_response(
    request, product_id, code=status.HTTP_200_OK, *, with_notes: bool = False, viewed: bool = False
) -> Response:
    product = selectors.product_get_visible(product_id=product_id, viewer=request.user)
    if viewed:  # analytics counts the view (shop/signals.py)
        product_viewed.send(sender=ProductDetailView, product=product, request=request)
    data = ProductSerializer(product, context=_user_context(request, [product.brand])).data
    if with_notes:
        notes = selectors.product_notes(product=product, viewer=request.user).values_list("pk", flat=True)
        data["notes"] = _product_notes_data(request, list(notes[:PRODUCT_NOTES_ON_DETAIL]), product=product)
    return Response(data, status=code)


class ProductDetailView(APIView):
    @extend_schema(responses={200: ProductDetailSerializer})
    def get(self, request, product_id):
        return _product_response(request, product_id, with_notes=True, viewed=True)

    @extend_schema(request=ProductWriteSerializer, responses={200: ProductSerializer})
    def patch(self, request, product_id):
        services.product_update(product_id=product_id, actor=request.user, **_product_write_args(request))
        return _product_response(request, product_id)


@extend_schema(parameters=[OpenApiParameter("buyers", bool)], responses={200: OpenApiTypes.OBJECT})
class ProductNotesView(APIView):
    """The notes about a product, most helpful first; `?buyers=1` for buyers' only, `?from=community|brand`."""

    renderer_classes = HOT_RENDERERS

    def get(self, request, product_id):
        product = selectors.product_get_visible(product_id=product_id, viewer=request.user)
        notes = selectors.product_notes(
            product=product,
            viewer=request.user,
            buyers_only=request.query_params.get("buyers") in ("1", "true"),
            source=request.query_params.get("from", "all"),
        )
        paginator = CursorPagination()
        paginator.ordering = ("-helpfulness", "-id")  # a keyset cursor pages by one sort key: use ?from= to split
        page = paginator.paginate_queryset(notes.values("id", "helpfulness"), request, view=self)
        note_ids = [row["id"] for row in page]
        return paginator.get_paginated_response(_product_notes_data(request, note_ids, product=product))


class CategoryListView(APIView):
    @extend_schema(responses={200: CategorySerializer(many=True)})
    def get(self, request):
        return Response(CategorySerializer(selectors.categories_all(), many=True).data)


# --- Cart ----------------------------------------------------------------------------------
# Visitors get a session cart too (merged at login), so these allow anonymous clients.


class CartView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CartSerializer})
    def get(self, request):
        cart = services.cart_for_request(request, create=False)
        return Response(cart_data(selectors.cart_summary(cart)))


class CartItemListView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CartItemInputSerializer, responses={201: CartItemSerializer})
    def post(self, request):
        body = CartItemInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cart = services.cart_for_request(request, create=True)
        item = services.cart_item_add(cart=cart, visitor=visitor_key(request), **body.validated_data)
        return Response(CartItemSerializer(item).data, status=status.HTTP_201_CREATED)


class CartItemDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CartItemInputSerializer, responses={200: CartItemSerializer})
    def patch(self, request, item_id):
        cart = services.cart_for_request(request, create=False)
        if "quantity" not in request.data:
            raise serializers.ValidationError({"quantity": [_("This field is required.")]})
        item = services.cart_item_update(cart=cart, item_id=item_id, quantity=request.data["quantity"])
        return Response(CartItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request, item_id):
        services.cart_item_remove(cart=services.cart_for_request(request, create=False), item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Checkout and orders --------------------------------------------------------------------


def _shipping_address(request):
    """The body's `shipping_address`, or the saved one its `address_id` names."""
    data = request.data if hasattr(request.data, "get") else {}
    if data.get("shipping_address") is None and data.get("address_id") is not None:
        return addresses.address_fields(selectors.address_get(user=request.user, address_id=data["address_id"]))
    return data.get("shipping_address")


class CheckoutView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [CheckoutThrottle]

    @extend_schema(
        request=CheckoutInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
        responses={201: OrderSerializer, 200: OrderSerializer},
    )
    def post(self, request):
        try:
            order, _created = orders.order_checkout(
                buyer=request.user,
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                shipping_address=_shipping_address(request),
                brand_username=request.data.get("brand") or None,
            )
        except DjangoValidationError as exc:  # the address: nest its field errors as DRF does
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise serializers.ValidationError({"shipping_address": detail}) from exc
        # A replay of the same key answers exactly as the first call did (201, same order),
        # like every idempotent POST of this API.
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        return selectors.orders_for_buyer(buyer=self.request.user)


class OrderDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OrderSerializer})
    def get(self, request, order_id):
        return _order_response(request, order_id)


def _order_response(request, order_id) -> Response:
    return Response(OrderSerializer(selectors.order_get_visible(order_id=order_id, viewer=request.user)).data)


class _OrderActionView(APIView):
    """A POST on one order: `act` runs the service as the requesting user; the answer is the order."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: OrderSerializer})
    def post(self, request, order_id):
        self.act(request, order_id)
        return _order_response(request, order_id)


class OrderPayView(APIView):
    """200 with the order paid; 202 with it still pending while a hosted gateway confirms."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=PayInputSerializer,
        responses={200: OrderSerializer, 202: OrderSerializer, 402: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request, order_id):
        card_number = request.data.get("card_number", "")
        order = orders.order_pay(order_id=order_id, buyer=request.user, card_number=card_number)
        response = _order_response(request, order.pk)
        if order.status == order.Status.PENDING_PAYMENT:
            response.status_code = status.HTTP_202_ACCEPTED
        return response


class PaymentWebhookView(APIView):
    """A hosted gateway's signed event (`X-RedBook-Signature: t=<unix>,v1=<hmac>`)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, gateway):
        handled = payment_flow.payment_webhook_receive(
            gateway_name=gateway, body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
        )
        return Response({"received": True, "replay": not handled})


class OrderCancelView(_OrderActionView):
    def act(self, request, order_id):
        orders.order_cancel(order_id=order_id, actor=request.user)


class OrderReceiveView(_OrderActionView):
    def act(self, request, order_id):
        orders.order_mark_delivered(order_id=order_id, actor=request.user)


@extend_schema(request=ShipInputSerializer, responses={200: OrderSerializer})
class BrandOrderShipView(_OrderActionView):
    def act(self, request, order_id):
        tracking_number = request.data.get("tracking_number", "")
        orders.order_ship(order_id=order_id, actor=request.user, tracking_number=tracking_number)


class BrandOrderRefundView(_OrderActionView):
    def act(self, request, order_id):
        orders.order_refund(order_id=order_id, actor=request.user)


class BrandOrderListView(generics.ListAPIView):
    """The brand's own orders, newest first; `?status=paid` for those waiting to ship."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        if not self.request.user.is_brand:
            raise Forbidden(_("Only brand accounts have store orders."), code="not_a_brand")
        return selectors.orders_for_brand(brand=self.request.user, status=self.request.query_params.get("status", ""))


# --- Address book ------------------------------------------------------------------------


def _address_input(request) -> tuple[dict, bool | None]:
    serializer = AddressInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    return data, data.pop("is_default", None)


class AddressListView(APIView):
    """GET: your saved addresses, the default first; POST: save one (`is_default?`)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: page_schema(AddressSerializer)})
    def get(self, request):
        rows = selectors.addresses_for(user=request.user)
        return Response({"results": AddressSerializer(rows, many=True).data, "next": None})

    @extend_schema(request=AddressInputSerializer, responses={201: AddressSerializer})
    def post(self, request):
        data, is_default = _address_input(request)
        address = addresses.address_create(user=request.user, data=data, is_default=bool(is_default))
        return Response(AddressSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    """PATCH: change fields or make it the default; DELETE: remove it. Your own only (else 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AddressInputSerializer, responses={200: AddressSerializer})
    def patch(self, request, address_id):
        data, is_default = _address_input(request)
        address = addresses.address_update(user=request.user, address_id=address_id, data=data, is_default=is_default)
        return Response(AddressSerializer(address).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, address_id):
        addresses.address_delete(user=request.user, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
