"""shop's answers to Django's own signals (connected in ShopConfig.ready)."""

from shop.services import cart_merge_on_login


def merge_cart_on_login(sender, request, user, **kwargs):
    """The visitor's session cart joins the user's cart when they log in."""
    if request is not None and hasattr(request, "session"):
        cart_merge_on_login(request=request, user=user)
