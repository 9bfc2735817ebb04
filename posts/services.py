"""Note writes: create/edit/delete with images, likes, saves, collections, comments, shares.

Counters are denormalized and changed here only, by F-expressions in the same
transaction as the row they count. Likes, saves, reshares and comment likes are
idempotent under concurrency: the unique constraint decides, inside a savepoint.
Notifications and other background work are enqueued after commit (outbox).
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Block, User
from notifications.services import notifications_save
from notifications.system import system_notification
from outbox.services import enqueue_on_commit
from posts import signals, tasks, text, videos
from posts.cards import forget_cards
from posts.models import (
    MAX_IMAGES,
    TITLE_MAX_LENGTH,
    Collection,
    Comment,
    CommentLike,
    Like,
    Note,
    NoteImage,
    NoteVideo,
    Reshare,
    Save,
)
from posts.places import place_for
from redbook import input_fields, numbers
from redbook.exceptions import Conflict, Forbidden, Invalid, NotFound
from redbook.images import Rendition, check_request_pixels, load_image, make_rendition
from shop.models import Product
from shop.services import product_notes_count_refresh

ORIGINAL_MAX = 4096  # px: full phone resolution, re-encoded only to drop metadata
DISPLAY_MAX = 1080
THUMB_MAX = 540
MAX_PRODUCTS = 10
DEFAULT_COLLECTION_NAME = Collection.DEFAULT_NAME


@dataclass
class _Renditions:
    original: Rendition
    display: Rendition
    thumb: Rendition


def _ensure_can_write(user: User) -> None:
    if not user.is_active or getattr(user, "is_suspended", False):
        raise Forbidden(_("This account is suspended."), code="suspended")


def _add(model, pk: int, field: str, delta: int) -> None:
    """counter += delta by an F-expression; never below zero. A note's card shows its counts."""
    model.objects.filter(pk=pk).update(**{field: Greatest(F(field) + delta, 0)})
    if model is Note:
        forget_cards([pk])


def _insert_once(model, **fields):
    """Create the row unless the unique constraint says it exists; returns it or None."""
    try:
        with transaction.atomic():  # savepoint: a duplicate leaves the outer transaction usable
            return model.objects.create(**fields)
    except IntegrityError:
        return None


# --- Images ------------------------------------------------------------------------


def _render_images(files: Sequence) -> list[_Renditions]:
    """Decode and re-encode every file before anything is stored: one bad file, nothing saved.

    The request's pixels are counted from the headers first, so an oversized batch costs
    no decoding; each picture is decoded no larger than its biggest rendition.
    """
    check_request_pixels(files, max_side=ORIGINAL_MAX)
    rendered = []
    for upload in files:
        image = load_image(upload, max_side=ORIGINAL_MAX)
        # PNG stays lossless (screenshots, graphics); photos keep a high-quality JPEG.
        original_fmt = "PNG" if image.format == "PNG" else "JPEG"
        rendered.append(
            _Renditions(
                original=make_rendition(image, max_size=ORIGINAL_MAX, fmt=original_fmt, quality=95),
                display=make_rendition(image, max_size=DISPLAY_MAX, fmt="JPEG", quality=85),
                thumb=make_rendition(image, max_size=THUMB_MAX, fmt="WEBP", quality=80),
            )
        )
        image.close()
    return rendered


def _check_image_count(files: Sequence, *, required: bool) -> None:
    if len(files) > MAX_IMAGES:
        raise Invalid(_("A note has at most %(n)s images.") % {"n": MAX_IMAGES}, code="too_many_images")
    if required and not files:
        raise Invalid(_("Add at least one image."), code="images_required")


def _store_images(
    note: Note, rendered: list[_Renditions], *, positions: Sequence[int] | None = None
) -> list[NoteImage]:
    """Store new images at `positions` (by default 0, 1, 2... in upload order)."""
    stored = []
    try:
        for position, r in zip(positions or range(len(rendered)), rendered, strict=True):
            image = NoteImage(
                note=note,
                position=position,
                width=r.display.width,
                height=r.display.height,
                thumb_width=r.thumb.width,
                thumb_height=r.thumb.height,
            )
            image.original.save(r.original.filename, r.original.content, save=False)
            image.display.save(r.display.filename, r.display.content, save=False)
            image.thumb.save(r.thumb.filename, r.thumb.content, save=False)
            stored.append(image)
        NoteImage.objects.bulk_create(stored)
    except Exception:
        _delete_files(stored)  # the transaction rolls back: do not leave orphan files
        raise
    return stored


@contextmanager
def _files_discarded_on_failure():
    """Yield a list for the images a transaction stores; if the block raises (the
    transaction rolled back), their files are deleted: a failed write leaves no orphan.
    (What a crash leaves between the two is removed by the beat sweep, redbook/media.py.)"""
    stored: list[NoteImage] = []
    try:
        yield stored
    except BaseException:
        _delete_files(stored)
        raise


def _delete_files(images: Iterable[NoteImage]) -> None:
    for image in images:
        for field in (image.original, image.display, image.thumb):
            if field:
                field.delete(save=False)


NEW_IMAGE = "new"  # in an `image_order`: where the next uploaded file goes
_TEMPORARY_POSITION = 1000  # above any real position: a reorder step clear of the unique constraint


def image_order_parse(tokens: Iterable[str]) -> list[int | str]:
    """An `image_order` as sent (ids as text, NEW_IMAGE markers) as note_update takes it."""
    order: list[int | str] = []
    for token in map(str.strip, map(str, tokens)):
        image_id = NEW_IMAGE if token == NEW_IMAGE else numbers.parse_id(token)
        if image_id is None:
            raise Invalid(_("image_order must list image ids."), code="invalid_image_order")
        order.append(image_id)
    return order


def _image_layout(note: Note, *, image_order: Sequence[int | str] | None, new_count: int) -> list[int | None] | None:
    """The note's images after an edit, in order: a kept image's id, or None for a new file.

    None means the images stay as they are. New files without an `image_order`
    replace every image (the API's first contract); with one, files not placed
    by a NEW_IMAGE marker are appended after it.
    """
    if image_order is None:
        return [None] * new_count if new_count else None
    own = set(note.images.values_list("pk", flat=True))
    kept = [token for token in image_order if token != NEW_IMAGE]
    if len(set(kept)) != len(kept):
        raise Invalid(_("Each photo can appear only once in the order."), code="duplicate_image")
    if not own.issuperset(kept):
        raise Invalid(_("Some of the photos are not in this note."), code="unknown_image")
    placed = len(image_order) - len(kept)
    if placed > new_count:
        raise Invalid(_("The order names more new photos than were uploaded."), code="invalid_image_order")
    return [None if token == NEW_IMAGE else int(token) for token in image_order] + [None] * (new_count - placed)


def _apply_image_layout(note: Note, layout: list[int | None], rendered: list[_Renditions]) -> list[NoteImage]:
    """Make the note's images follow `layout` (call holding the note's row lock)."""
    old = {image.pk: image for image in note.images.all()}
    kept = {pk: position for position, pk in enumerate(layout) if pk is not None}
    if not set(old).issuperset(kept):
        raise Conflict(_("The photos were changed meanwhile: reload the page and try again."), code="images_changed")
    removed = [image for pk, image in old.items() if pk not in kept]
    NoteImage.objects.filter(pk__in=[image.pk for image in removed]).delete()
    moved = [old[pk] for pk, position in kept.items() if old[pk].position != position]
    # Two steps, so that no two images ever share a position (the unique constraint).
    for step in (lambda image: _TEMPORARY_POSITION + kept[image.pk], lambda image: kept[image.pk]):
        for image in moved:
            image.position = step(image)
        NoteImage.objects.bulk_update(moved, ["position"])
    stored = _store_images(note, rendered, positions=[position for position, pk in enumerate(layout) if pk is None])
    transaction.on_commit(lambda: _delete_files(removed))
    return stored


# --- Notes -------------------------------------------------------------------------


def _screen(text: str, *, kind: type[Note] | type[Comment] = Note) -> bool:
    """Whether to publish `text` hidden for review: asked of moderation through a signal
    (posts is below it); a refusal raises Invalid (400 "spam") from the receiver."""
    return any(verdict is True for _receiver, verdict in signals.text_submitted.send(sender=kind, text=text))


def _clean_fields(*, title: str, body: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise Invalid(_("A note needs a title."), code="title_required")
    if len(title) > TITLE_MAX_LENGTH:
        raise Invalid(_("Titles are at most %(n)s characters.") % {"n": TITLE_MAX_LENGTH}, code="title_too_long")
    body = (body or "").strip()
    if len(body) > input_fields.max_length_of(Note, "body"):
        raise Invalid(_("The text is too long."), code="body_too_long")
    return title, body


def _clean_location(*, lat, lng, place_name: str) -> dict:
    if (lat is None) != (lng is None):
        raise Invalid(_("Give both latitude and longitude, or neither."), code="invalid_location")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Invalid(_("Coordinates are out of range."), code="invalid_location")
    place_name = (place_name or "").strip()
    if len(place_name) > input_fields.max_length_of(Note, "place_name"):
        raise Invalid(_("The place name is too long."), code="invalid_location")
    return {"lat": lat, "lng": lng, "place_name": place_name}


def _listed_products(product_ids: Iterable[int]) -> list[Product]:
    ids = list(dict.fromkeys(product_ids))
    if len(ids) > MAX_PRODUCTS:
        raise Invalid(_("Tag at most %(n)s products.") % {"n": MAX_PRODUCTS}, code="too_many_products")
    products = list(Product.objects.listed().filter(pk__in=ids))
    if len(products) != len(ids):
        raise Invalid(_("Some of the products do not exist."), code="unknown_product")
    return products


def _set_tags(note: Note, tags: Iterable[str]) -> None:
    note.tags.set(text.merge_tags(tags, text.hashtags(note.body)), clear=True)


def _after_publish(note: Note) -> None:
    enqueue_on_commit(tasks.notify_note_mentions, note_id=note.pk)


def note_create(
    *,
    author: User,
    title: str,
    body: str = "",
    images: Sequence = (),
    tags: Iterable[str] = (),
    lat: float | None = None,
    lng: float | None = None,
    place_name: str = "",
    product_ids: Iterable[int] = (),
    draft: bool = False,
    video=None,
    cover=None,
) -> Note:
    """A note with its images stored and visible as soon as this returns.

    Drafts may be saved without images; publishing needs 1 to 9. With `video` (and
    optionally a `cover` image) instead, the note is "processing", seen by its author
    alone, until Celery has transcoded it (`note_video_ready` publishes it).
    """
    _ensure_can_write(author)
    title, body = _clean_fields(title=title, body=body)
    held = _screen(f"{title}\n{body}")  # staff keywords: 400 "spam", or publish hidden for review
    location = _clean_location(lat=lat, lng=lng, place_name=place_name)
    if video is not None:
        return _video_note_create(
            author=author,
            fields={"title": title, "body": body, **location},
            held=held,
            tags=tags,
            products=_video_note_checks(images=images, draft=draft, product_ids=product_ids),
            video=video,
            cover=cover,
        )
    _check_image_count(images, required=not draft)
    products = _listed_products(product_ids)
    rendered = _render_images(images)
    status = Note.Status.DRAFT if draft else Note.Status.PUBLISHED
    with _files_discarded_on_failure() as stored, transaction.atomic():
        note = Note.objects.create(
            author=author,
            title=title,
            body=body,
            status=status,
            published_at=None if draft else timezone.now(),
            place=place_for(**location),
            **location,
        )
        stored += _store_images(note, rendered)
        _set_tags(note, tags)
        note.products.set(products)
        product_notes_count_refresh(product_ids=[p.pk for p in products])
        if not draft:
            _add(User, author.pk, "notes_count", 1)
            _after_publish(note)
        if held:
            signals.content_held.send(sender=Note, target_type="note", target=note)
        signals.note_changed.send(sender=Note, note_id=note.pk)
    return note


def _video_note_checks(*, images: Sequence, draft: bool, product_ids: Iterable[int]) -> list[Product]:
    if images:
        raise Invalid(_("A note carries photos or one video, not both."), code="images_and_video")
    if draft:
        raise Invalid(_("Video notes are published once their video is ready; drafts take photos."), code="video_draft")
    return _listed_products(product_ids)


def _video_note_create(*, author: User, fields: dict, held: bool, tags, products, video, cover) -> Note:
    """The processing note, its cover (if given) and private original; transcoding after commit."""
    info = videos.probe_upload(video)
    rendered_cover = _render_images([cover]) if cover is not None else []
    original = None
    try:
        with transaction.atomic():
            note = Note.objects.create(
                author=author,
                status=Note.Status.PROCESSING,
                media_type=Note.MediaType.VIDEO,
                video_seconds=round(info.duration_s),
                place=place_for(lat=fields["lat"], lng=fields["lng"], place_name=fields["place_name"]),
                **fields,
            )
            _store_images(note, rendered_cover)
            original = videos.original_name(note.pk, info)
            videos.video_attach(note=note, upload=video, info=info, has_cover=bool(rendered_cover))
            _set_tags(note, tags)
            note.products.set(products)
            if held:
                signals.content_held.send(sender=Note, target_type="note", target=note)
            enqueue_on_commit(tasks.transcode_video, note_id=note.pk)
    except Exception:
        if original is not None:
            videos.original_discard(original)  # the note rolled back: no private file left behind
        raise
    return note


def _notify_author(note: Note, kind: str) -> None:
    row = system_notification(
        recipient_id=note.author_id,
        kind=kind,
        data={"label": note.title, "url": reverse("posts:note-detail", args=[note.pk])},
        dedupe_key=f"{kind}:{note.pk}",
        note_id=note.pk,
    )
    notifications_save([row])


def note_video_ready(*, note_id: int, info, renditions: list[dict], poster: NoteImage | None) -> bool:
    """Record a finished transcode and publish the note (the first time); False when another
    run got there first. Call only once every rendition is stored."""
    with transaction.atomic():
        note = Note.objects.select_for_update().filter(pk=note_id).first()
        video = NoteVideo.objects.select_for_update().filter(note_id=note_id).first()
        if note is None or video is None or video.status != NoteVideo.Status.PROCESSING:
            return False
        video.status, video.error, video.renditions = NoteVideo.Status.READY, "", renditions
        video.duration_s, video.width, video.height = info.duration_s, info.width, info.height
        video.save()
        if poster is not None:
            NoteImage.objects.filter(note_id=note_id).delete()  # an earlier run's poster row
            poster.save()
        note.video_seconds = round(info.duration_s)
        first_time = note.status == Note.Status.PROCESSING
        if first_time:
            note.status, note.published_at = Note.Status.PUBLISHED, timezone.now()
        note.save(update_fields=["video_seconds", "status", "published_at", "updated_at"])
        if first_time:
            if not note.is_hidden:
                _add(User, note.author_id, "notes_count", 1)
            product_notes_count_refresh(product_ids=note.products.values_list("pk", flat=True))
            _after_publish(note)
            _notify_author(note, "video_ready")
        signals.note_changed.send(sender=Note, note_id=note.pk)
        forget_cards([note.pk])
    return True


def note_video_failed(*, note_id: int, error: str) -> None:
    """The video could not be processed: its author sees why (the note stays theirs alone)."""
    with transaction.atomic():
        updated = NoteVideo.objects.filter(note_id=note_id, status=NoteVideo.Status.PROCESSING).update(
            status=NoteVideo.Status.FAILED, error=error
        )
        note = Note.objects.filter(pk=note_id).first()
        if updated and note is not None:
            _notify_author(note, "video_failed")


def note_update(
    *,
    note: Note,
    editor: User,
    images: Sequence | None = None,
    image_order: Sequence[int | str] | None = None,
    tags: Iterable[str] | None = None,
    product_ids: Iterable[int] | None = None,
    publish: bool | None = None,
    **fields,
) -> Note:
    """Edit a note (author only). `None` leaves a field as it is.

    `fields` may hold title, body, lat, lng, place_name. `publish=True` publishes a
    draft; `publish=False` turns a published note back into a draft. Photos: `images`
    alone replace the set; `image_order` (ids of this note's images to keep, in order,
    NEW_IMAGE where a new file goes) keeps, drops, reorders and adds single photos; the
    first is the cover. A published note keeps 1 to 9.
    """
    _ensure_can_write(editor)
    if note.author_id != editor.pk:
        raise Forbidden(_("Only the author can edit this note."))
    title, body = _clean_fields(title=fields.get("title", note.title), body=fields.get("body", note.body))
    held = _screen(f"{title}\n{body}")
    location = _clean_location(
        lat=fields.get("lat", note.lat),
        lng=fields.get("lng", note.lng),
        place_name=fields.get("place_name", note.place_name),
    )
    was_published = note.status == Note.Status.PUBLISHED
    published = was_published if publish is None else publish
    if note.status == Note.Status.PROCESSING:
        published = False  # its video publishes it once ready: no image is required yet
    images = images or []
    if note.media_type == Note.MediaType.VIDEO:
        if images:
            raise Invalid(_("A note carries photos or one video, not both."), code="images_and_video")
        image_order = None  # a video note's one image is its poster: nothing to reorder
    layout = _image_layout(note, image_order=image_order, new_count=len(images))
    if layout is not None:
        _check_image_count(layout, required=published)
    elif published and not was_published and not note.images.exists():
        raise Invalid(_("Add at least one image."), code="images_required")
    products = None if product_ids is None else _listed_products(product_ids)
    rendered = _render_images(images)
    with _files_discarded_on_failure() as stored, transaction.atomic():
        note = Note.objects.select_for_update().get(pk=note.pk)
        if note.status == Note.Status.DELETED:
            raise NotFound(_("Note not found."))
        note.title, note.body = title, body
        if any(getattr(note, name) != value for name, value in location.items()):
            # A title-only edit keeps its place: matching again could move it to a newer one.
            for name, value in location.items():
                setattr(note, name, value)
            note.place = place_for(**location)
        if note.status == Note.Status.PROCESSING:
            published = False  # its video publishes it once ready (note_video_ready)
        else:
            note.status = Note.Status.PUBLISHED if published else Note.Status.DRAFT
        if published and not note.published_at:
            note.published_at = timezone.now()
        note.save()
        if layout is not None:
            stored += _apply_image_layout(note, layout, rendered)
        if tags is not None or "body" in fields:
            _set_tags(note, note.tags.names() if tags is None else tags)
        tagged_before = set(note.products.values_list("pk", flat=True))
        if products is not None:
            note.products.set(products)
        product_notes_count_refresh(product_ids=tagged_before | {p.pk for p in products or ()})
        if published != was_published and not note.is_hidden:  # a hidden note is not counted
            _add(User, note.author_id, "notes_count", 1 if published else -1)
        if published:
            _after_publish(note)  # new @mentions notify; old ones are deduplicated
        if held:
            signals.content_held.send(sender=Note, target_type="note", target=note)
        signals.note_changed.send(sender=Note, note_id=note.pk)
        forget_cards([note.pk])
    return note


def note_delete(*, note: Note, actor: User) -> None:
    """Soft delete (author or staff): the note leaves every list at once."""
    if note.author_id != actor.pk and not actor.is_staff:
        raise Forbidden(_("Only the author can delete this note."))
    with transaction.atomic():
        updated = Note.objects.filter(pk=note.pk).exclude(status=Note.Status.DELETED)
        # A note hidden by moderation already left its author's count (moderation.targets).
        was_published = updated.filter(status=Note.Status.PUBLISHED, is_hidden=False).exists()
        if updated.update(status=Note.Status.DELETED) and was_published:
            _add(User, note.author_id, "notes_count", -1)
            product_notes_count_refresh(product_ids=note.products.values_list("pk", flat=True))
        signals.note_changed.send(sender=Note, note_id=note.pk)
        forget_cards([note.pk])


# --- Likes, saves, collections, reshares, shares -------------------------------------


def note_like(*, user: User, note: Note) -> bool:
    """Like (idempotent). Returns whether a like was added."""
    _ensure_can_write(user)
    with transaction.atomic():
        like = _insert_once(Like, user=user, note=note)
        if like is None:
            return False
        _add(Note, note.pk, "like_count", 1)
        enqueue_on_commit(tasks.notify_like, like_id=like.pk)
        signals.taste_changed.send(sender=Like, user_id=user.pk)  # their Explore reflects it within a minute
    return True


def note_unlike(*, user: User, note: Note) -> bool:
    with transaction.atomic():
        deleted, _by_model = Like.objects.filter(user=user, note=note).delete()
        if deleted:
            _add(Note, note.pk, "like_count", -1)
    return bool(deleted)


def _default_collection(user: User) -> Collection:
    existing = Collection.objects.filter(owner=user, is_default=True).first()
    if existing:
        return existing
    created = _insert_once(Collection, owner=user, name=str(DEFAULT_COLLECTION_NAME), is_default=True)
    return created or Collection.objects.get(owner=user, is_default=True)


def _clean_board_name(*, owner: User, name: str, exclude_id: int | None = None) -> str:
    """A board's name: present, short enough, and not one of the owner's other boards'."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("A board needs a name."), code="name_required")
    if len(name) > input_fields.max_length_of(Collection, "name"):
        raise Invalid(_("The name is too long."), code="name_too_long")
    same_name = Collection.objects.filter(owner=owner, name=name)
    if exclude_id is not None:
        same_name = same_name.exclude(pk=exclude_id)
    if same_name.exists():
        raise Conflict(_("You already have a board with this name."))
    return name


def collection_create(*, owner: User, name: str, is_private: bool = False) -> Collection:
    _ensure_can_write(owner)
    name = _clean_board_name(owner=owner, name=name)
    return Collection.objects.create(owner=owner, name=name, is_private=is_private)


def _own_board_locked(*, user: User, collection_id: int) -> Collection:
    """The board, row-locked, when `user` owns it: 404 when it does not exist, 403 otherwise.

    Callers look it up through `selectors.collection_get` first, so a board the user may
    not even see (someone else's private one) is a 404 there, never a 403 here.
    """
    board = Collection.objects.select_for_update().filter(pk=collection_id).first()
    if board is None:
        raise NotFound(_("Board not found."))
    if board.owner_id != user.pk:
        raise Forbidden(_("Only the owner can change this board."), code="not_owner")
    return board


def collection_update(
    *, user: User, collection_id: int, name: str | None = None, is_private: bool | None = None
) -> Collection:
    """Rename a board or make it private / public (its owner only)."""
    _ensure_can_write(user)
    with transaction.atomic():
        board = _own_board_locked(user=user, collection_id=collection_id)
        if name is not None:
            board.name = _clean_board_name(owner=user, name=name, exclude_id=board.pk)
        if is_private is not None:
            board.is_private = is_private
        board.save(update_fields=["name", "is_private"])
    return board


def collection_delete(*, user: User, collection_id: int) -> int:
    """Delete a board (its owner only); returns how many saves moved.

    A save is a note kept by its user, the board only files it: the board's notes go
    back to the default "Saved" board, so deleting a board never un-saves anything
    (save counts and the notes' authors are untouched). "Saved" itself cannot be deleted.
    """
    _ensure_can_write(user)
    with transaction.atomic():
        board = _own_board_locked(user=user, collection_id=collection_id)
        if board.is_default:
            raise Conflict(_("The Saved board cannot be deleted."), code="default_board")
        default = _default_collection(user)
        moved = Save.objects.filter(collection=board).update(collection=default)
        if moved:
            _add(Collection, default.pk, "notes_count", moved)
        board.delete()
    return moved


def note_save(*, user: User, note: Note, collection_id: int | None = None) -> bool:
    """Save into a board (default "Saved"); idempotent, and saving again moves it.

    Returns whether a new save was added.
    """
    _ensure_can_write(user)
    with transaction.atomic():
        if collection_id is None:
            collection = _default_collection(user)
        else:
            found = Collection.objects.filter(owner=user, pk=collection_id).first()
            if found is None:
                raise NotFound(_("Board not found."))
            collection = found
        save = _insert_once(Save, user=user, note=note, collection=collection)
        if save is None:
            _move_save(user=user, note=note, collection=collection)
            return False
        _add(Note, note.pk, "save_count", 1)
        _add(Collection, collection.pk, "notes_count", 1)
        enqueue_on_commit(tasks.notify_save, save_id=save.pk)
        signals.taste_changed.send(sender=Save, user_id=user.pk)
    return True


def _move_save(*, user: User, note: Note, collection: Collection) -> None:
    save = Save.objects.select_for_update().filter(user=user, note=note).first()
    if save is None or save.collection_id == collection.pk:
        return
    _add(Collection, save.collection_id, "notes_count", -1)
    _add(Collection, collection.pk, "notes_count", 1)
    Save.objects.filter(pk=save.pk).update(collection=collection)


def note_unsave(*, user: User, note: Note) -> bool:
    with transaction.atomic():
        save = Save.objects.select_for_update().filter(user=user, note=note).first()
        if save is None:
            return False
        save.delete()
        _add(Note, note.pk, "save_count", -1)
        _add(Collection, save.collection_id, "notes_count", -1)
    return True


def note_reshare(*, user: User, note: Note) -> bool:
    """Re-share to your followers (their Follow feed shows it); idempotent."""
    _ensure_can_write(user)
    with transaction.atomic():
        reshare = _insert_once(Reshare, user=user, note=note)
        if reshare is None:
            return False
        _add(Note, note.pk, "reshare_count", 1)
        enqueue_on_commit(tasks.notify_reshare, reshare_id=reshare.pk)
    return True


def note_unreshare(*, user: User, note: Note) -> bool:
    with transaction.atomic():
        deleted, _by_model = Reshare.objects.filter(user=user, note=note).delete()
        if deleted:
            _add(Note, note.pk, "reshare_count", -1)
    return bool(deleted)


SHARE_SEEN_TTL = 2 * 24 * 3600  # the day's dedupe key outlives its day, whatever the time zone


def note_share(*, note: Note, viewer_key: str) -> int:
    """Count a share (a copied link) once per viewer per note per day; returns the share count.

    The day's mark is a cache `add` (atomic on Redis): with the cache down it fails, and the
    share is not counted; a vanity count may lose a share, it must never be inflatable.
    """
    mark = f"rb:shares:seen:{timezone.localdate().isoformat()}:{note.pk}:{viewer_key}"
    if cache.add(mark, 1, timeout=SHARE_SEEN_TTL):
        _add(Note, note.pk, "share_count", 1)
    return Note.objects.values_list("share_count", flat=True).get(pk=note.pk)


# --- Comments ----------------------------------------------------------------------


def comment_create(*, author: User, note: Note, body: str, parent_id: int | None = None) -> Comment:
    """Comment or reply. Replies stay one level deep: a reply to a reply joins its root."""
    _ensure_can_write(author)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write something first."), code="body_required")
    limit = input_fields.max_length_of(Comment, "body")
    if len(body) > limit:
        raise Invalid(_("Comments are at most %(n)s characters.") % {"n": limit}, code="body_too_long")
    held = _screen(body, kind=Comment)
    if note.status != Note.Status.PUBLISHED:
        raise Invalid(_("Drafts cannot be commented on."), code="not_published")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, note=note, is_removed=False).first()
        if parent is None:
            raise Invalid(_("The comment you reply to does not exist."), code="unknown_parent")
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    others = {note.author_id} | ({parent.author_id} if parent else set())
    blocked = Block.objects.filter(Q(blocker=author, blocked_id__in=others) | Q(blocked=author, blocker_id__in=others))
    if blocked.exists():
        raise Forbidden(_("You cannot comment here."), code="blocked")
    with transaction.atomic():
        comment = Comment.objects.create(note=note, author=author, parent=parent, body=body)
        _add(Note, note.pk, "comment_count", 1)
        if parent:
            _add(Comment, parent.pk, "reply_count", 1)
        if held:
            signals.content_held.send(sender=Comment, target_type="comment", target=comment)
        else:
            enqueue_on_commit(tasks.notify_comment, comment_id=comment.pk)
    return comment


def comment_delete(*, comment: Comment, actor: User) -> None:
    """By the comment's author or the note's author; a root takes its replies along."""
    if actor.pk not in (comment.author_id, comment.note.author_id) and not actor.is_staff:
        raise Forbidden(_("You cannot delete this comment."))
    with transaction.atomic():
        # Moderation already took removed comments out of the counters (moderation.targets):
        # subtract only what is still counted, read under the row's lock.
        locked = Comment.objects.select_for_update().filter(pk=comment.pk)
        flags = list(locked.values_list("is_removed", flat=True))
        if not flags:
            return  # already deleted
        counted = 0 if flags[0] else 1
        replies = Comment.objects.filter(parent_id=comment.pk, is_removed=False).count()
        locked.delete()
        _add(Note, comment.note_id, "comment_count", -(counted + replies))
        if comment.parent_id and counted:
            _add(Comment, comment.parent_id, "reply_count", -1)


def comment_like(*, user: User, comment: Comment) -> bool:
    _ensure_can_write(user)
    with transaction.atomic():
        if _insert_once(CommentLike, user=user, comment=comment) is None:
            return False
        _add(Comment, comment.pk, "like_count", 1)
    return True


def comment_unlike(*, user: User, comment: Comment) -> bool:
    with transaction.atomic():
        deleted, _by_model = CommentLike.objects.filter(user=user, comment=comment).delete()
        if deleted:
            _add(Comment, comment.pk, "like_count", -1)
    return bool(deleted)
