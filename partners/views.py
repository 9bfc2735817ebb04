"""The embeddable widget (its script and its iframe page), the click counter behind its
links, and oEmbed. None of these reads the session: no cookie is set, no response varies
on one, and no visitor's data is shown or sent."""

from functools import cache, wraps
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from partners import selectors, services
from posts.models import Note
from redbook import numbers
from redbook.exceptions import NotFound
from shop.models import Product

EMBED_NOTES = 8
EMBED_CACHE_CONTROL = "public, max-age=60"
WIDGET_CACHE_CONTROL = "public, max-age=3600"
WIDGET_JS = Path(__file__).resolve().parent / "assets" / "widget.js"
OEMBED_WIDTH, OEMBED_HEIGHT, OEMBED_MAX = 400, 180, 2000


def _anonymous(view):
    """Whoever is signed in to RedBook, these views see an anonymous visitor: the session is
    never read, so no cookie is set or refreshed and no `Vary: Cookie` is added."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.user = AnonymousUser()
        return view(request, *args, **kwargs)

    return wrapper


def _language(value) -> str:
    """`data-redbook-lang`: any Chinese tag reads as Simplified Chinese, anything else English."""
    return "zh-hans" if isinstance(value, str) and value.lower().startswith("zh") else "en"


@cache
def _widget_source() -> bytes:
    return WIDGET_JS.read_bytes()


@require_GET
@_anonymous
def widget_js(request):
    response = HttpResponse(_widget_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = WIDGET_CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"  # public code: a partner may load it with SRI
    return response


@require_GET
@xframe_options_exempt  # framing is governed by the per-partner CSP frame-ancestors below
@_anonymous
def embed_product(request, gtin):
    try:
        partner = selectors.partner_by_public_id(request.GET.get("partner"))
    except NotFound as exc:
        raise Http404(exc.message) from None
    origins = partner.origin_list
    parent = request.GET.get("origin", "")
    language = _language(request.GET.get("lang"))
    with translation.override(language):
        try:
            product = selectors.product_for_gtin(gtin)
        except NotFound:
            product, notes, status = None, [], 404
        else:
            notes, status = selectors.best_notes(product=product, limit=EMBED_NOTES), 200
        context = {
            "product": product,
            "cards": [
                {
                    "note": r.note,
                    "cover": selectors.note_cover(r.note, absolute=str),  # the frame is on RedBook's origin
                    "verified_buyer": r.verified_buyer,
                    "url": selectors.note_link(partner, r.note.pk),
                }
                for r in notes
            ],
            "product_url": product and selectors.product_link(partner, product.pk),
            # Resize messages go to the page that framed us, named by the widget and
            # checked here: the browser delivers them only if that really is the parent.
            "parent_origin": parent if parent in origins else "",
            "widget_id": request.GET.get("id", "")[:20],
            "language": language,
        }
        html = render_to_string("partners/embed.html", context)  # no request: no context processors
    response = HttpResponse(html, status=status)
    response._csp_replace = {"frame-ancestors": origins}  # django-csp: this partner's pages only
    response["Cache-Control"] = EMBED_CACHE_CONTROL
    response["Content-Language"] = language
    return response


def _partner_from_ref(request):
    ref = request.GET.get("ref", "")
    public_id = ref.removeprefix("partner:") if ref.startswith("partner:") else None
    try:
        return selectors.partner_by_public_id(public_id)
    except NotFound:
        return None


@require_GET
@_anonymous
def go_note(request, note_id):
    """A widget link to a note: counted for the partner, then on to the note with the ref."""
    if not Note.objects.public().filter(pk=note_id).exists():
        raise Http404(_("No such note."))
    target = reverse("posts:note-detail", kwargs={"note_id": note_id})
    partner = _partner_from_ref(request)
    if partner is None:
        return HttpResponseRedirect(target)
    services.click_record(partner=partner, note_id=note_id)
    return HttpResponseRedirect(f"{target}?ref={selectors.ref_for(partner)}")


@require_GET
@_anonymous
def go_product(request, product_id):
    if not Product.objects.listed().filter(pk=product_id).exists():
        raise Http404(_("No such product."))
    target = reverse("shop:product-detail", kwargs={"product_id": product_id})
    partner = _partner_from_ref(request)
    if partner is None:
        return HttpResponseRedirect(target)
    services.click_record(partner=partner, product_id=product_id)
    return HttpResponseRedirect(f"{target}?ref={selectors.ref_for(partner)}")


# --- oEmbed -----------------------------------------------------------------------------


def _oembed_error(message: str, status: int, code: str) -> JsonResponse:
    return JsonResponse({"detail": message, "code": code}, status=status)


def _own_path(request, url: str) -> str | None:
    """The path of `url` when it is a RedBook page (this host, or a relative URL)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.netloc and parts.netloc.lower() != request.get_host().lower():
        return None
    if parts.scheme not in ("", "http", "https"):
        return None
    return parts.path or None


def _size(value, default: int) -> int:
    try:
        return min(numbers.parse_int(value, min_value=1, max_value=OEMBED_MAX), default) if value else default
    except ValueError:
        return default


def _blockquote(*, href: str, title: str, byline: str) -> str:
    return render_to_string("partners/oembed.html", {"href": href, "title": title, "byline": byline}).strip()


@require_GET
@_anonymous
def oembed(request):
    """oEmbed 1.0 (`type: rich`) for a note or a product page: a quote linking back."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return _oembed_error(
            _("Only the JSON format is offered."), 400, "format_not_supported"
        )  # not 501: no 5xx for bad input
    if not url or len(url) > 2000:
        return _oembed_error(_("Give the url of a RedBook note or product."), 400, "invalid_url")
    path = _own_path(request, url)
    try:
        match = resolve(path) if path else None
    except Resolver404:
        match = None
    width = _size(request.GET.get("maxwidth"), OEMBED_WIDTH)
    height = _size(request.GET.get("maxheight"), OEMBED_HEIGHT)
    body = None
    if match and match.view_name == "posts:note-detail":
        body = _note_oembed(request, match.kwargs["note_id"])
    elif match and match.view_name == "shop:product-detail":
        body = _product_oembed(request, match.kwargs["product_id"])
    if body is None:
        return _oembed_error(_("No such note or product on RedBook."), 404, "not_found")
    body.update(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "RedBook",
            "provider_url": request.build_absolute_uri("/"),
            "width": width,
            "height": height,
            "cache_age": 3600,
        }
    )
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials
    return response


def _rich_body(request, *, href: str, title: str, byline: str, author_url: str, thumb) -> dict:
    """The oEmbed fields of a note or product page; `thumb` is (url, width, height) or None."""
    body = {
        "title": title,
        "author_name": byline,
        "author_url": request.build_absolute_uri(author_url),
        "html": _blockquote(href=request.build_absolute_uri(href), title=title, byline=byline),
    }
    if thumb is not None:
        url, width, height = thumb
        body.update(thumbnail_url=request.build_absolute_uri(url), thumbnail_width=width, thumbnail_height=height)
    return body


def _note_oembed(request, note_id) -> dict | None:
    note = Note.objects.public().select_related("author").prefetch_related("images").filter(pk=note_id).first()
    if note is None:
        return None
    image = next(iter(note.images.all()), None)
    return _rich_body(
        request,
        href=reverse("posts:note-detail", kwargs={"note_id": note.pk}),
        title=note.title,
        byline=note.author.name,
        author_url=reverse("accounts:profile", kwargs={"username": note.author.username}),
        thumb=(image.thumb.url, image.thumb_width, image.thumb_height) if image else None,
    )


def _product_oembed(request, product_id) -> dict | None:
    product = Product.objects.listed().select_related("brand").prefetch_related("images").filter(pk=product_id).first()
    if product is None:
        return None
    image = next(iter(product.images.all()), None)
    return _rich_body(
        request,
        href=reverse("shop:product-detail", kwargs={"product_id": product.pk}),
        title=product.name,
        byline=product.brand.name,
        author_url=reverse("shop:store", kwargs={"username": product.brand.username}),
        thumb=(image.image.url, image.width, image.height) if image else None,
    )
