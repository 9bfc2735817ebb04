"""Search JSON API (shared/API.md "Feeds and search"): `search/` and `search/suggest/`.

`search/` pages by an opaque cursor holding an offset: results are ranked by score,
not by a column, so keyset paging does not apply; depth is capped (selectors.MAX_OFFSET).
An empty query, one over 200 characters, an unknown type or sort, or a bad cursor
is a 400 `{"detail", "code"}`; a query of punctuation only finds nothing (200).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import UserSerializer
from accounts.selectors import followed_ids
from posts.api import serialize_notes
from redbook import cursors, numbers
from redbook.exceptions import Invalid
from redbook.renderers import HOT_RENDERERS
from search import querylog, selectors
from shop.serializers import ProductSerializer

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


def encode_cursor(offset: int) -> str:
    return cursors.cursor_encode({"o": offset})


def decode_cursor(cursor: str) -> int:
    """The offset in a cursor from `encode_cursor`; 0 for none; Invalid for anything else."""
    data = cursors.cursor_decode(cursor, fields={"o": int})
    offset = data["o"] if data else 0
    if not 0 <= offset <= selectors.MAX_OFFSET:
        raise Invalid(_("Invalid cursor."), code="invalid_cursor")
    return offset


def page_size(request) -> int:
    try:
        size = numbers.parse_int(request.query_params.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return min(max(size, 1), MAX_PAGE_SIZE)


def _with_followed(request, users) -> dict:
    return {"request": request, "followed_ids": followed_ids(viewer=request.user, user_ids=[u.pk for u in users])}


def _replace_query(request, **changes) -> str:
    query = request.query_params.copy()
    for key, value in changes.items():
        query[key] = value
    return f"{request.path}?{query.urlencode()}"


def _serialize(request, kind: str, items: list) -> list:
    if kind == "notes":
        return serialize_notes(items, request=request)
    if kind == "products":
        return ProductSerializer(items, many=True, context=_with_followed(request, [p.brand for p in items])).data
    if kind == "users":
        return UserSerializer(items, many=True, context=_with_followed(request, items)).data
    return [{"name": tag.name, "notes_count": tag.notes_count} for tag in items]


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, required=True, description="1 to 200 characters; Chinese is segmented."),
    OpenApiParameter("type", str, enum=list(selectors.SORTS), description="default notes"),
    OpenApiParameter(
        "sort",
        str,
        enum=sorted({sort for sorts in selectors.SORTS.values() for sort in sorts}),
        description="notes: relevant|newest|most_liked; products: relevant|price_asc|price_desc",
    ),
    OpenApiParameter("cursor", str),
    OpenApiParameter("page_size", int, description=f"1 to {MAX_PAGE_SIZE}, default {PAGE_SIZE}"),
]
SUGGESTION = inline_serializer(
    "Suggestion",
    {
        "type": serializers.ChoiceField(choices=["query", "tag", "user"]),
        "text": serializers.CharField(),
        "name": serializers.CharField(required=False),
        "username": serializers.CharField(required=False),
        "display_name": serializers.CharField(required=False),
    },
)


class SearchView(APIView):
    """GET `?q=&type=notes|products|users|tags&sort=&cursor=&page_size=`: ranked results."""

    renderer_classes = HOT_RENDERERS
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses={
            200: inline_serializer(
                "SearchResults",
                {
                    "results": serializers.ListField(child=serializers.DictField()),
                    "next": serializers.URLField(allow_null=True),
                },
            ),
            400: OpenApiTypes.OBJECT,
        },
        description="Notes (Note JSON), products (Product JSON), users (User JSON) or tags ({name, notes_count}).",
    )
    def get(self, request):
        params = selectors.search_params(
            query=request.query_params.get("q", ""),
            kind=request.query_params.get("type", ""),
            sort=request.query_params.get("sort", ""),
        )
        cursor = request.query_params.get("cursor", "")
        offset, limit = decode_cursor(cursor), page_size(request)
        page = selectors.search(viewer=request.user, params=params, offset=offset, limit=limit)
        if not cursor:  # a new search, not a next page
            querylog.search_log(user=request.user, query=params.query)
        next_url = None
        if page.has_more:
            next_url = request.build_absolute_uri(
                _replace_query(request, cursor=encode_cursor(offset + limit), page_size=limit)
            )
        return Response({"results": _serialize(request, params.kind, page.items), "next": next_url})


class SuggestView(APIView):
    """GET `?q=`: up to 10 completions `{type: query|tag|user, text, ...}`.

    Also `recent` (the signed-in user's last searches) and `trending` (today's top
    queries), shown by clients when the box is empty.
    """

    renderer_classes = HOT_RENDERERS
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="a prefix; empty: only recent and trending")],
        responses={
            200: inline_serializer(
                "Suggestions",
                {
                    "results": serializers.ListField(child=SUGGESTION),
                    "next": serializers.URLField(allow_null=True),
                    "recent": serializers.ListField(child=serializers.CharField()),
                    "trending": serializers.ListField(child=serializers.CharField()),
                },
            ),
            400: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request):
        prefix = selectors.printable(request.query_params.get("q", ""))
        if len(prefix) > selectors.QUERY_MAX_LENGTH:
            message = _("Search for at most %(limit)d characters.") % {"limit": selectors.QUERY_MAX_LENGTH}
            raise Invalid(message, code="query_too_long")
        results = selectors.suggestions(viewer=request.user, prefix=prefix)
        user_id = request.user.pk
        return Response(
            {
                "results": results,
                "next": None,
                "recent": querylog.recent(user_id=user_id) if user_id and not prefix else [],
                "trending": querylog.trending() if not prefix else [],
            }
        )


class RecentSearchesView(APIView):
    """GET: the signed-in user's recent searches, newest first (theirs alone).
    DELETE: forget them all, or only `?q=`."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            200: inline_serializer("RecentSearches", {"results": serializers.ListField(child=serializers.CharField())})
        }
    )
    def get(self, request):
        return Response({"results": querylog.recent(user_id=request.user.pk)})

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="one query to forget; none: all")],
        responses={204: None},
    )
    def delete(self, request):
        querylog.recent_clear(user_id=request.user.pk, query=selectors.printable(request.query_params.get("q", "")))
        return Response(status=204)


class TagSuggestView(APIView):
    """GET `?q=`: up to 10 tags starting with `q` (or spelled nearly so), most used first.

    For the composer's `#tag` autocomplete: unlike `search/`, nothing is logged as a search.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="the start of a tag, with or without #")],
        responses={
            200: inline_serializer(
                "TagSuggestions",
                {
                    "results": serializers.ListField(
                        child=inline_serializer("TagName", {"name": serializers.CharField()})
                    ),
                    "next": serializers.URLField(allow_null=True),
                },
            )
        },
    )
    def get(self, request):
        names = selectors.tag_completions(prefix=request.query_params.get("q", ""))
        return Response({"results": [{"name": name} for name in names], "next": None})
