"""What the shop announces to the apps above it (search, analytics), which connect a
receiver in their `apps.py` `ready()`.

The shop never imports those apps (ARCHITECTURE.md "Dependencies between apps"). Each
signal is sent by the service that made the change, inside its transaction where it
says so, so a receiver that writes rows commits or rolls back with the change (and one
that starts work elsewhere enqueues it after commit).
"""

from django.dispatch import Signal

# product_id: a product was created, edited, hidden or restored: search re-indexes it.
product_changed = Signal()

# A shopper opened a product page or read it through the API. Args: product, request.
product_viewed = Signal()

# A cart line was added to (inside the cart's transaction). Args: item (CartItem, its
# variant and product loaded), quantity (the units just added), visitor (the shopper's
# attribution key from redbook.visitors, or None). A receiver may set `item.source_note_id`.
added_to_cart = Signal()

# An order was paid (inside the payment's transaction). Args: order.
order_paid = Signal()

# A paid order was refunded or cancelled with its money given back (inside the order's
# transaction). Args: order.
order_refunded = Signal()
