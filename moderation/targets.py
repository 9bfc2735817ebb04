"""What can be reported, and how each kind of target is found, shown and taken down.

One small spec per target type keeps the services free of `if target_type == ...`
chains. Take-downs are conditional updates (`filter(flag=False).update(flag=True)`),
so repeating one, or two moderators clicking at once, changes nothing twice.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F, Model
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from accounts.models import User
from accounts.services import user_suspend, user_unsuspend
from accounts.signals import user_changed
from moderation.models import AuditLogEntry, TargetType
from posts import video_takedown
from posts.cards import forget_cards
from posts.models import Comment, Note
from posts.signals import note_changed
from redbook import numbers
from shop.models import Product
from shop.services import product_notes_count_refresh
from shop.signals import product_changed

Action = AuditLogEntry.Action


def _add(model, pk: int, field: str, delta: int) -> None:
    model.objects.filter(pk=pk).update(**{field: Greatest(F(field) + delta, 0)})


def _note_counts(note: Note, delta: int) -> None:
    # A hidden note leaves its author's count, as a deleted one does (posts.services).
    if note.status == Note.Status.PUBLISHED:
        _add(User, note.author_id, "notes_count", delta)
        product_notes_count_refresh(product_ids=note.products.values_list("pk", flat=True))


def _note_changed(note: Note, delta: int) -> None:
    _note_counts(note, delta)
    if note.media_type == Note.MediaType.VIDEO:
        # A taken-down video's files stop being served; a restored one is transcoded again.
        (video_takedown.video_reinstate if delta > 0 else video_takedown.video_withdraw)(note_id=note.pk)


def _comment_counts(comment: Comment, delta: int) -> None:
    _add(Note, comment.note_id, "comment_count", delta)
    forget_cards([comment.note_id])  # the note's card shows its comment count
    if comment.parent_id:
        _add(Comment, comment.parent_id, "reply_count", delta)


def _set_flag(model, pk: int, field: str, value: bool) -> bool:
    """Flip a moderation flag; True only for the call that actually changed it."""
    return bool(model.objects.filter(pk=pk, **{field: not value}).update(**{field: value}))


def _user_set_suspended(user: User, value: bool, reason: str) -> bool:
    if user.is_suspended == value:
        return False
    if value:
        user_suspend(user=user, reason=reason)  # also revokes the user's API tokens
    else:
        user_unsuspend(user=user)
    return True


@dataclass(frozen=True)
class TargetSpec:
    model: type[Model]
    flag: str  # the moderation flag that takes the target down
    takedown_action: str
    restore_action: str
    owner_id: Callable[[Model], int]
    # Down for a reason other than moderation (deleted by its author, deactivated).
    gone: Callable[[Model], bool]
    preview: Callable[[Model], str]  # HTML for the admin queue, escaped
    label: Callable[[Model], str]  # plain text naming the target for the reporter
    url: Callable[[Model], str]  # where it lives on the site (staff see hidden content there)
    on_change: Callable[[Model, int], None] | None = None  # counters, delta -1 / +1
    # Search keeps an index of what is public: re-index after commit (feeds and search
    # also filter live rows when they read, so a take-down is gone at once regardless).
    reindex: Callable[[int], None] | None = None
    # Whether enough weighty reports hide it before review (never for accounts).
    auto_hide: bool = True
    # Whether a reporter may see (so report) it at all; None: anyone. Private targets
    # (a direct message) answer False for outsiders, who then get a 404.
    visible_to: Callable[[Model, User], bool] | None = None

    def is_down(self, obj: Model) -> bool:
        return bool(getattr(obj, self.flag)) or self.gone(obj)


def _note_preview(note: Note) -> str:
    image = note.images.all()[:1]
    thumb = format_html('<img src="{}" alt="" width="80"> ', image[0].thumb.url) if image else ""
    return format_html("{}<strong>{}</strong><br>{}", thumb, note.title, Truncator(note.body).chars(200))


def _comment_preview(comment: Comment) -> str:
    return format_html("“{}” <small>(note #{})</small>", Truncator(comment.body).chars(200), comment.note_id)


def _user_preview(user: User) -> str:
    return format_html("<strong>@{}</strong> {}<br>{}", user.username, user.display_name, user.bio)


def _product_preview(product: Product) -> str:
    return format_html("<strong>{}</strong><br>{}", product.name, Truncator(product.description).chars(200))


# Higher apps add their own targets at start-up (e.g. messaging/moderation.py), so this
# app never imports them.
SPECS: dict[str, TargetSpec] = {
    TargetType.NOTE: TargetSpec(
        model=Note,
        flag="is_hidden",
        takedown_action=Action.HIDE_NOTE,
        restore_action=Action.RESTORE_NOTE,
        owner_id=lambda note: note.author_id,
        gone=lambda note: note.status == Note.Status.DELETED,
        preview=_note_preview,
        label=lambda note: note.title,
        url=lambda note: reverse("posts:note-detail", args=[note.pk]),
        on_change=_note_changed,
        reindex=lambda pk: note_changed.send(sender=Note, note_id=pk),
    ),
    TargetType.COMMENT: TargetSpec(
        model=Comment,
        flag="is_removed",
        takedown_action=Action.REMOVE_COMMENT,
        restore_action=Action.RESTORE_COMMENT,
        owner_id=lambda comment: comment.author_id,
        gone=lambda comment: False,
        preview=_comment_preview,
        label=lambda comment: Truncator(comment.body).chars(80),
        url=lambda comment: reverse("posts:note-detail", args=[comment.note_id]) + f"#comment-{comment.pk}",
        on_change=_comment_counts,
    ),
    TargetType.USER: TargetSpec(
        model=User,
        flag="is_suspended",
        takedown_action=Action.SUSPEND_USER,
        restore_action=Action.RESTORE_USER,
        owner_id=lambda user: user.pk,
        gone=lambda user: not user.is_active,
        preview=_user_preview,
        label=lambda user: f"@{user.username}",
        url=lambda user: reverse("accounts:profile", args=[user.username]),
        reindex=lambda pk: user_changed.send(sender=User, user_id=pk),
        auto_hide=False,
    ),
    TargetType.PRODUCT: TargetSpec(
        model=Product,
        flag="is_delisted",
        takedown_action=Action.DELIST_PRODUCT,
        restore_action=Action.RELIST_PRODUCT,
        owner_id=lambda product: product.brand_id,
        gone=lambda product: False,
        preview=_product_preview,
        label=lambda product: product.name,
        url=lambda product: reverse("shop:product-detail", args=[product.pk]),
        reindex=lambda pk: product_changed.send(sender=Product, product_id=pk),
    ),
}


def target_get(target_type: str, pk: int) -> Model | None:
    """The target row by primary key, whatever its state; None when it does not exist."""
    return SPECS[target_type].model.objects.filter(pk=pk).first()


def target_lookup(target_type: str, raw_id: str) -> Model | None:
    """Resolve a client-supplied id: digits for notes, comments and products; a username
    (or, failing that, a numeric id) for users, as the API addresses users by name."""
    if target_type == TargetType.USER:
        found = User.objects.filter(username=raw_id).first()
        if found is not None:
            return found
    pk = numbers.parse_id(raw_id)
    return None if pk is None else target_get(target_type, pk)


def target_set_down(target_type: str, obj: Model, *, down: bool, reason: str = "") -> bool:
    """Take the target down (or bring it back); returns whether anything changed."""
    spec = SPECS[target_type]
    if target_type == TargetType.USER:
        changed = _user_set_suspended(obj, down, reason)
    else:
        changed = _set_flag(spec.model, obj.pk, spec.flag, down)
    if changed and spec.on_change is not None:
        spec.on_change(obj, -1 if down else 1)
    if changed and spec.reindex is not None:
        spec.reindex(obj.pk)
    setattr(obj, spec.flag, down)
    return changed


def targets_bulk(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Model]:
    """Load many targets in one query per type (for the admin queue page)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for target_type, target_id in pairs:
        wanted[target_type].add(target_id)
    found: dict[tuple[str, int], Model] = {}
    for target_type, ids in wanted.items():
        queryset = SPECS[target_type].model.objects.filter(pk__in=ids)
        if target_type == TargetType.NOTE:
            queryset = queryset.prefetch_related("images")
        for obj in queryset:
            found[(target_type, obj.pk)] = obj
    return found
