"""What users, moderators and beat do, in-process, between the kills: each call commits
and enqueues its task after commit exactly as a request would."""

import random
import uuid
from datetime import timedelta

from django.utils import timezone

from moderation.services import report_create, target_restore, target_take_down
from outbox.services import enqueue_on_commit
from posts.models import Like, Note
from posts.services import note_like, note_update
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


def edit_a_note(world, rng: random.Random, token: str) -> Note:
    """The author retitles a note: its index task goes through Celery (SEARCH_INDEX_INLINE off)."""
    note = rng.choice(world.notes)
    return note_update(note=note, editor=note.author, title=f"retitled {token}")


def moderate(rng: random.Random, notes: list, moderator, reporters: list) -> None:
    """Restore a hidden note, or report one and take it down: a decision to notify, a note to re-index."""
    note = Note.objects.get(pk=rng.choice(notes).pk)
    if note.is_hidden:
        target_restore(target_type="note", target_id=note.pk, moderator=moderator)
        return
    report_create(reporter=rng.choice(reporters), target_type="note", target_id=str(note.pk), reason="spam")
    target_take_down(target_type="note", target_id=note.pk, moderator=moderator, reason="spam")


def likes_by_others() -> int:
    return sum(1 for like in Like.objects.select_related("note") if like.user_id != like.note.author_id)
