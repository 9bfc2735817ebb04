from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import Cursor
from rest_framework.pagination import CursorPagination as BaseCursorPagination
from rest_framework.utils.urls import replace_query_param

from redbook import cursors, numbers

_CURSOR_FIELDS = {"o": int, "r": bool, "p": str | None}


class CursorPagination(BaseCursorPagination):
    """`{"results": [...], "next": url}` paged by an opaque cursor (API.md "Lists").

    DRF's own cursor is base64 of a query string, read back unchecked: a forged
    position ("p=abc" on an id ordering) reached the query as a 500. Here it is a
    signed cursor (redbook.cursors), so the position is always one we wrote.
    """

    ordering = "-id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50

    def get_page_size(self, request):
        try:
            size = numbers.parse_int(request.query_params[self.page_size_query_param], min_value=1)
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size)

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        data = cursors.cursor_decode(
            raw, fields=_CURSOR_FIELDS, optional=tuple(_CURSOR_FIELDS), scope=self._cursor_scope()
        )
        if data is None:
            return None
        offset = min(max(data.get("o", 0), 0), self.offset_cutoff)  # as DRF bounds it
        return Cursor(offset=offset, reverse=data.get("r", False), position=data.get("p"))

    def encode_cursor(self, cursor):
        data = {"o": cursor.offset, "r": cursor.reverse, "p": cursor.position}
        token = cursors.cursor_encode(data, scope=self._cursor_scope())
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def _cursor_scope(self) -> str:
        # A position is a value of the ordering's first field: a float distance handed to
        # a list ordered by id was a 500. Set by DRF before it decodes or encodes.
        return ",".join(self.ordering)


_PAGE_SCHEMAS: dict[str, serializers.Serializer] = {}


def page_schema(
    item_serializer: type[serializers.Serializer], *, name: str = "", **extra_fields
) -> serializers.Serializer:
    """The OpenAPI shape of one page `{"results": [...], "next", "previous"?}` of items.

    For APIViews that page by hand: `extend_schema(responses=page_schema(NoteSerializer))`.
    One component per name (built once), so drf-spectacular sees no name collision.
    """
    name = name or f"Paginated{item_serializer.__name__.removesuffix('Serializer')}List"
    if name not in _PAGE_SCHEMAS:
        fields = {
            "results": item_serializer(many=True),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True, required=False),
            **extra_fields,
        }
        _PAGE_SCHEMAS[name] = inline_serializer(name, fields)
    return _PAGE_SCHEMAS[name]
