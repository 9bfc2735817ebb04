"""Note pages: thin views over the same services and selectors as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from posts import places, selectors, services, videos, view_counts
from posts.cards import note_cards, viewer_marks
from posts.models import MAX_IMAGES, TITLE_COMPOSER_LENGTH
from redbook import numbers
from redbook.exceptions import Conflict, Forbidden, Invalid, ServiceError, page_errors
from redbook.storage import may_see_original

GRID_PAGE_SIZE = 40


def _float_or_none(value: str | None, label: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return numbers.parse_float(value)
    except ValueError as exc:
        raise Invalid(_("%(field)s must be a number.") % {"field": label}) from exc


def _form_fields(request) -> dict:
    """The note form's POST as service arguments."""
    post = request.POST
    product_ids = [numbers.parse_id(pk) for pk in post.getlist("product_ids") if pk]
    if None in product_ids:
        raise Invalid(_("Pick products from the list."))
    return {
        "title": post.get("title", ""),
        "body": post.get("body", ""),
        "tags": [t for t in post.get("tags", "").split(",") if t.strip()],
        "place_name": post.get("place_name", ""),
        "lat": _float_or_none(post.get("lat"), _("Latitude")),
        "lng": _float_or_none(post.get("lng"), _("Longitude")),
        "product_ids": product_ids,
    }


def _image_order(post) -> list[int | str] | None:
    """The edit form lists the kept photos as image_order fields; a form without them keeps all."""
    return services.image_order_parse(post.getlist("image_order")) if "image_order" in post else None


def _form_page(request, *, note=None, status=200):
    title = request.POST.get("title") or (note.title if note else "")
    context = {
        "note": note,
        "form": request.POST,
        "max_images": MAX_IMAGES,
        "title_max": TITLE_COMPOSER_LENGTH,
        "title_length": len(title),
    }
    return render(request, "posts/note_form.html", context, status=status)


def _page(request, queryset) -> tuple[list, int | None]:
    """One page of a grid by ?page=N (a bounded slice of ids), its cards and the next page number."""
    number = numbers.request_page(request, last=50)
    start = (number - 1) * GRID_PAGE_SIZE
    ids = list(queryset.values_list("pk", flat=True)[start : start + GRID_PAGE_SIZE + 1])
    cards = note_cards(ids[:GRID_PAGE_SIZE], request.user)
    return cards, number + 1 if len(ids) > GRID_PAGE_SIZE else None


def _grid_context(request, cards: list) -> dict:
    return {"notes": cards, "liked_ids": viewer_marks(request.user, cards).liked}


@login_required
def note_new(request):
    if request.method != "POST":
        return _form_page(request)
    try:
        fields = _form_fields(request)
        draft = request.POST.get("status") == "draft"
        images = request.FILES.getlist("images")
        media = {name: request.FILES[name] for name in ("video", "cover") if request.FILES.get(name)}
        note = services.note_create(author=request.user, images=images, draft=draft, **media, **fields)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _form_page(request, status=exc.status_code)
    if note.status == note.Status.PROCESSING:
        messages.success(request, _("Your video is processing: the note is published once it is ready."))
    else:
        messages.success(request, _("Saved as a draft.") if draft else _("Your note is live."))
    return redirect("posts:note-detail", note_id=note.pk)


@login_required
@page_errors
def note_edit(request, note_id):
    note = selectors.note_get(viewer=request.user, note_id=note_id)
    if note.author_id != request.user.pk:
        raise Forbidden(_("Only the author can edit this note."))
    if request.method != "POST":
        return _form_page(request, note=note)
    try:
        publish = request.POST.get("status") != "draft"
        services.note_update(
            note=note,
            editor=request.user,
            images=request.FILES.getlist("images"),
            image_order=_image_order(request.POST),
            publish=publish,
            **_form_fields(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _form_page(request, note=note, status=exc.status_code)
    messages.success(request, _("Changes saved."))
    return redirect("posts:note-detail", note_id=note.pk)


@login_required
@require_POST
@page_errors
def note_delete(request, note_id):
    services.note_delete(note=selectors.note_get(viewer=request.user, note_id=note_id), actor=request.user)
    messages.success(request, _("Note deleted."))
    return redirect("accounts:profile", request.user.username)


@page_errors
def note_detail(request, note_id):
    note = selectors.note_get(viewer=request.user, note_id=note_id)
    note.view_count += view_counts.pending_views([note.pk]).get(note.pk, 0)
    liked, saved = selectors.interaction_sets(viewer=request.user, note_ids=[note.pk])
    comments = list(selectors.comments_for_note(note=note, viewer=request.user)[:100])
    every = comments + [reply for comment in comments for reply in comment.replies.all()]
    context = {
        "note": note,
        "images": note.images.all(),
        "video": videos.video_for_page(note),
        "liked": note.pk in liked,
        "saved": note.pk in saved,
        "comments": comments,
        "liked_comment_ids": selectors.comment_liked_ids(viewer=request.user, comment_ids=[c.pk for c in every]),
        "followed_ids": account_selectors.followed_ids(viewer=request.user, user_ids=[note.author_id]),
        "is_author": request.user.is_authenticated and request.user.pk == note.author_id,
        # Originals are private: their author and staff get signed short-lived links.
        "show_originals": may_see_original(request.user, note.author_id),
        "reshared": selectors.reshared(viewer=request.user, note=note),
        "saved_collection_id": selectors.saved_collection_id(viewer=request.user, note=note),
    }
    return render(request, "posts/note_detail.html", context)


@login_required
@require_POST
@page_errors
def note_comment(request, note_id):
    """The comment form without JavaScript (static/js/posts.js posts to the API instead)."""
    note = selectors.note_get_commentable(viewer=request.user, note_id=note_id)
    parent_id = request.POST.get("parent_id") or None
    try:
        services.comment_create(
            author=request.user,
            note=note,
            body=request.POST.get("body", ""),
            parent_id=numbers.parse_id(parent_id),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("posts:note-detail", note_id=note.pk)


@page_errors
def tag_page(request, name):
    sort = "new" if request.GET.get("sort") == "new" else "hot"
    notes, next_page = _page(request, selectors.tag_notes(name=name, viewer=request.user, sort=sort))
    tag = selectors.tag_get(name=name)
    context = {"name": tag.name if tag else name, "tag": tag, "sort": sort, "next_page": next_page}
    return render(request, "posts/tag.html", {**context, **_grid_context(request, notes)})


@page_errors
def place_page(request, place_id):
    """The notes at a place, nearest its centre first, under a map of where they were taken."""
    place = selectors.place_get(place_id=place_id)
    notes, next_page = _page(request, selectors.place_notes(place=place, viewer=request.user))
    context = {"place": place, "place_map": places.place_map(place, notes), "next_page": next_page}
    return render(request, "posts/place.html", {**context, **_grid_context(request, notes)})


@page_errors
def collection_page(request, collection_id):
    collection = selectors.collection_get(viewer=request.user, collection_id=collection_id)
    notes, next_page = _page(request, selectors.collection_notes(collection=collection, viewer=request.user))
    context = {"collection": collection, "next_page": next_page}
    return render(request, "posts/collection.html", {**context, **_grid_context(request, notes)})


def _boards_tab(user) -> str:
    return f"{reverse('accounts:profile', args=[user.username])}?tab=boards"


@login_required
@require_POST
@page_errors
def collection_new(request):
    """The "New board" form of one's own Boards tab (the save dialog uses the API)."""
    try:
        board = services.collection_create(
            owner=request.user, name=request.POST.get("name", ""), is_private=request.POST.get("is_private") == "on"
        )
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect(_boards_tab(request.user))
    return redirect("posts:collection", collection_id=board.pk)


@login_required
@require_POST
@page_errors
def collection_edit(request, collection_id):
    """Rename a board and set whether it is private (its owner only)."""
    selectors.collection_get(viewer=request.user, collection_id=collection_id)
    fields = {"name": request.POST.get("name", ""), "is_private": request.POST.get("is_private") == "on"}
    try:
        services.collection_update(user=request.user, collection_id=collection_id, **fields)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Board saved."))
    return redirect("posts:collection", collection_id=collection_id)


@login_required
@require_POST
@page_errors
def collection_delete(request, collection_id):
    selectors.collection_get(viewer=request.user, collection_id=collection_id)
    try:
        services.collection_delete(user=request.user, collection_id=collection_id)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("posts:collection", collection_id=collection_id)
    messages.success(request, _("Board deleted. Its notes are still in your Saved board."))
    return redirect(_boards_tab(request.user))
