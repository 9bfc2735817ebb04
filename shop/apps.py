from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _merge_cart_on_login(sender, request, user, **kwargs):
    """The visitor's session cart joins the user's cart when they log in."""
    from shop.services import cart_merge_on_login

    if request is not None and hasattr(request, "session"):
        cart_merge_on_login(request=request, user=user)


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_merge_cart_on_login, dispatch_uid="shop.merge_cart_on_login")
