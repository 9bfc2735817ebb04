from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from analytics import receivers
        from shop import signals

        signals.product_viewed.connect(receivers.on_product_viewed, dispatch_uid="analytics.product_viewed")
        signals.added_to_cart.connect(receivers.on_added_to_cart, dispatch_uid="analytics.added_to_cart")
        signals.order_paid.connect(receivers.on_order_paid, dispatch_uid="analytics.order_paid")
        signals.order_refunded.connect(receivers.on_order_refunded, dispatch_uid="analytics.order_refunded")
        user_logged_in.connect(receivers.on_login, dispatch_uid="analytics.merge_touches_on_login")
