"""What users and beat do, in-process, between the kills: each call commits and
enqueues its task after commit exactly as a request would."""

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from outbox.services import enqueue_on_commit
from posts.models import Like
from posts.services import note_like
from shop.models import Cart, Order
from shop.orders import order_checkout
from shop.services import cart_item_add
from shop.tasks import expire_unpaid_orders

ADDRESS = {
    "name": "Li Lei",
    "phone": "+86 138 0000 0000",
    "line1": "1 Nanjing Road",
    "city": "Shanghai",
    "postal_code": "200000",
    "country": "CN",
}


def like_some(world, rng: random.Random, count: int) -> int:
    liked = 0
    for _ in range(count):
        user, note = rng.choice(world.users), rng.choice(world.notes)
        liked += note_like(user=user, note=note)
    return liked


def checkout(world, rng: random.Random, user) -> Order:
    cart, _ = Cart.objects.get_or_create(user=user)
    for variant in rng.sample(world.variants, k=rng.randint(1, len(world.variants))):
        cart_item_add(cart=cart, variant_id=variant.pk, quantity=rng.randint(1, 3))
    order, _created = order_checkout(buyer=user, idempotency_key=uuid.uuid4().hex, shipping_address=ADDRESS)
    return order


def let_holds_lapse(count: int) -> None:
    """Make some unpaid orders overdue, as if their 30 minutes had passed, and run the sweep."""
    overdue = list(Order.objects.filter(status=Order.Status.PENDING_PAYMENT).values_list("pk", flat=True)[:count])
    Order.objects.filter(pk__in=overdue).update(expires_at=timezone.now() - timedelta(seconds=1))
    enqueue_on_commit(expire_unpaid_orders)


def likes_by_others() -> int:
    return sum(1 for like in Like.objects.select_related("note") if like.user_id != like.note.author_id)
