from django.urls import path

from redbook.throttling import CheckoutThrottle, rate_limit
from shop import api, manage_views, views

app_name = "shop"

# Browser pages.
urlpatterns = [
    path("shop/", views.mall, name="mall"),
    path("shop/brands/<str:username>/", views.store, name="store"),
    path("shop/products/<int:product_id>/", views.product_detail, name="product-detail"),
    path("shop/manage/", manage_views.manage, name="manage"),
    path("shop/manage/products/new/", manage_views.product_create, name="manage-product-create"),
    path("shop/manage/products/<int:product_id>/edit/", manage_views.product_edit, name="manage-product-edit"),
    path("shop/manage/orders/<int:order_id>/ship/", manage_views.order_ship, name="manage-order-ship"),
    path("shop/manage/orders/<int:order_id>/refund/", manage_views.order_refund, name="manage-order-refund"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/items/<int:item_id>/", views.cart_item, name="cart-item"),
    path("checkout/", rate_limit(CheckoutThrottle)(views.checkout), name="checkout"),
    path("orders/", views.order_list, name="order-list"),
    path("addresses/", views.address_book, name="addresses"),
    path("addresses/<int:address_id>/default/", views.address_make_default, name="address-default"),
    path("addresses/<int:address_id>/delete/", views.address_delete, name="address-delete"),
    path("orders/<int:order_id>/", views.order_detail, name="order-detail"),
    path("orders/<int:order_id>/pay/", views.order_pay, name="order-pay"),
    path("orders/<int:order_id>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<int:order_id>/receive/", views.order_receive, name="order-receive"),
]

# JSON API, mounted under /api/v1/ by redbook/urls.py.
api_urlpatterns = [
    path("products/", api.ProductListView.as_view(), name="api-product-list"),
    path("products/<str:product_id>/", api.ProductDetailView.as_view(), name="api-product-detail"),
    path("products/<str:product_id>/notes/", api.ProductNotesView.as_view(), name="api-product-notes"),
    path("categories/", api.CategoryListView.as_view(), name="api-category-list"),
    path("cart/", api.CartView.as_view(), name="api-cart"),
    path("cart/items/", api.CartItemListView.as_view(), name="api-cart-items"),
    path("cart/items/<str:item_id>/", api.CartItemDetailView.as_view(), name="api-cart-item"),
    path("checkout/", api.CheckoutView.as_view(), name="api-checkout"),
    path("orders/", api.OrderListView.as_view(), name="api-order-list"),
    path("orders/<str:order_id>/", api.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<str:order_id>/pay/", api.OrderPayView.as_view(), name="api-order-pay"),
    path("orders/<str:order_id>/cancel/", api.OrderCancelView.as_view(), name="api-order-cancel"),
    path("orders/<str:order_id>/receive/", api.OrderReceiveView.as_view(), name="api-order-receive"),
    path("me/addresses/", api.AddressListView.as_view(), name="api-address-list"),
    path("me/addresses/<str:address_id>/", api.AddressDetailView.as_view(), name="api-address-detail"),
    path("brand/orders/", api.BrandOrderListView.as_view(), name="api-brand-order-list"),
    path("brand/orders/<str:order_id>/ship/", api.BrandOrderShipView.as_view(), name="api-brand-order-ship"),
    path("brand/orders/<str:order_id>/refund/", api.BrandOrderRefundView.as_view(), name="api-brand-order-refund"),
    path("payments/webhook/<str:gateway>/", api.PaymentWebhookView.as_view(), name="api-payment-webhook"),
]
