"""The search page: /search/?q=&type=&sort=&page= (tabs: notes, products, users, tags)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import followed_ids
from posts.cards import viewer_marks
from redbook import numbers
from redbook.exceptions import Invalid
from search import querylog, selectors

PAGE_SIZE = 24
MAX_PAGE = selectors.MAX_OFFSET // PAGE_SIZE
TABS = (("notes", _("Notes")), ("products", _("Products")), ("users", _("Users")), ("tags", _("Tags")))
SORT_LABELS = {
    "relevant": _("Relevant"),
    "newest": _("Newest"),
    "most_liked": _("Most liked"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
}


def _page_number(request) -> int:
    return numbers.request_page(request, last=MAX_PAGE)


def _start_page(request, *, error: str = "", status: int = 200):
    """The empty search: trending queries of the day and the user's recent searches."""
    user_id = request.user.pk
    context = {
        "tabs": TABS,
        "error": error,
        "trending": querylog.trending(),
        "recent": querylog.recent(user_id=user_id) if user_id else [],
    }
    return render(request, "search/search.html", context, status=status)


def _results_context(request, params: selectors.SearchParams, items: list) -> dict:
    if params.kind == "notes":
        return {"notes": items, "liked_ids": viewer_marks(request.user, items).liked}
    if params.kind == "users":
        return {"users": items, "followed_ids": followed_ids(viewer=request.user, user_ids=[u.pk for u in items])}
    return {params.kind: items}


def search_page(request):
    if not request.GET.get("q", "").strip():
        return _start_page(request)
    try:
        params = selectors.search_params(
            query=request.GET["q"], kind=request.GET.get("type", ""), sort=request.GET.get("sort", "")
        )
    except Invalid as exc:
        return _start_page(request, error=exc.message, status=400)
    number = _page_number(request)
    page = selectors.search(viewer=request.user, params=params, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if number == 1:
        querylog.search_log(user=request.user, query=params.query)
    context = {
        "params": params,
        "tabs": TABS,
        "sorts": [(sort, SORT_LABELS[sort]) for sort in selectors.SORTS[params.kind]]
        if params.kind in ("notes", "products")
        else [],
        "next_page": number + 1 if page.has_more else None,
        **_results_context(request, params, page.items),
    }
    return render(request, "search/search.html", context)


@require_POST
@login_required
def recent_clear(request):
    """The start page's "Clear" button: forget the user's recent searches."""
    querylog.recent_clear(user_id=request.user.pk)
    return redirect("search:search")
