"""Home tab pages (Explore, Follow, Nearby) and the feed settings page: thin views over selectors.

Each tab renders its first page; static/js/feeds.js fetches the next ones from the same
URL with `?cursor=…&partial=1` (the API's cursor), which returns just the cards.
"""

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from feeds import selectors, services
from feeds.cities import CITIES, city_get
from feeds.models import MutedKeyword
from posts.cards import CardBuilder, draw, viewer_marks
from redbook import cursors, numbers
from redbook.exceptions import ServiceError
from redbook.memo import Memo

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

PAGE_SIZE = 20
NEARBY_RADIUS_KM = 25.0  # a city and its suburbs


# A feed item's markup follows from its card's markup, the feed's fields and two facts about
# the viewer; each process keeps those it drew last (see posts.cards.CardBuilder).
_ITEMS: Memo[SafeString] = Memo(size=4096)


def _item_markup(card: dict, extra: dict, viewer, language: str | None) -> SafeString:
    """feeds/_item.html for one (card, extra) of a feed page."""
    signed_in = viewer.is_authenticated
    reshared_by = extra.get("reshared_by")
    values = {
        "card": card,
        "reason": extra.get("reason"),
        "distance_km": extra.get("distance_km"),
        "reshared_by": reshared_by.name if reshared_by else None,
        "signed_in": signed_in,
        "hide": signed_in and card["author_id"] != viewer.pk,
    }
    key = (card["html"], *(value for name, value in values.items() if name != "card"), language)
    return _ITEMS.get(key, lambda: draw("feeds/_item.html", values, language))


def _render_feed(request, template: str, feed, *, read_cursor, context: dict | None = None, **kwargs):
    try:
        cursor = read_cursor(request.GET.get("cursor"))
        items, next_cursor = feed(viewer=request.user, cursor=cursor, size=PAGE_SIZE, **kwargs)
    except ServiceError as exc:
        return HttpResponseBadRequest(exc.message)
    cards = CardBuilder(liked_ids=viewer_marks(request.user, [card for card, _ in items]).liked)
    context = {
        **(context or {}),
        "items": [_item_markup(cards.card(note), extra, request.user, cards.language) for note, extra in items],
        "next_cursor": cursors.cursor_encode(next_cursor) if next_cursor else "",
    }
    if request.GET.get("partial"):
        return render(request, "feeds/_items.html", context)
    return render(request, template, context)


def explore(request):
    try:
        channel = selectors.channel_get(request.GET.get("channel"))
    except ServiceError:
        return redirect("feeds:explore")
    context = {"channels": selectors.channels_list(), "channel_slug": channel.slug if channel else ""}
    return _render_feed(
        request,
        "feeds/explore.html",
        selectors.explore_feed,
        context=context,
        channel=channel,
        read_cursor=selectors.explore_cursor,
    )


@login_required
def follow(request):
    return _render_feed(request, "feeds/follow.html", selectors.follow_feed, read_cursor=selectors.follow_cursor)


def nearby(request):
    city = city_get(request.GET.get("city"))
    try:
        lat = numbers.parse_float(request.GET["lat"]) if city is None else city.lat
        lng = numbers.parse_float(request.GET["lng"]) if city is None else city.lng
    except (KeyError, ValueError):
        return render(request, "feeds/nearby.html", {"cities": CITIES, "located": False})
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return render(request, "feeds/nearby.html", {"cities": CITIES, "located": False}, status=400)
    context = {"cities": CITIES, "located": True, "city": city, "lat": lat, "lng": lng}
    return _render_feed(
        request,
        "feeds/nearby.html",
        selectors.nearby_feed,
        context=context,
        lat=lat,
        lng=lng,
        radius_km=NEARBY_RADIUS_KM,
        read_cursor=selectors.nearby_cursor,
    )


@login_required
@require_POST
def topic_follow_toggle(request, name):
    """The no-script topic follow button (templates/feeds/_topic_follow_button.html)."""
    try:
        if request.POST.get("action") == "unfollow":
            services.topic_follow_delete(user=request.user, tag_name=name)
        else:
            services.topic_follow_create(user=request.user, tag_name=name)
    except ServiceError as exc:
        messages.error(request, cast("_StrOrPromise", exc.message))  # a str or a lazy translation
    target = request.POST.get("next", "")
    return redirect(target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/")


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    if request.method == "POST":
        try:
            _apply_settings(request)
        except ServiceError as exc:
            messages.error(request, cast("_StrOrPromise", exc.message))  # a str or a lazy translation
        return redirect("feeds:settings")
    keywords = MutedKeyword.objects.filter(user=request.user)
    return render(request, "feeds/settings.html", {"keywords": keywords})


def _apply_settings(request) -> None:
    action = request.POST.get("action")
    if action == "mute":
        services.muted_keyword_add(user=request.user, keyword=request.POST.get("keyword", ""))
        messages.success(request, _("Keyword muted."))
    elif action == "unmute":
        services.muted_keyword_remove(user=request.user, keyword_id=request.POST.get("keyword_id"))
        messages.success(request, _("Keyword unmuted."))
    elif action == "personalization":
        services.personalization_set(user=request.user, enabled=request.POST.get("enabled") == "on")
        messages.success(request, _("Recommendation setting saved."))
