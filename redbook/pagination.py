from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination as BaseCursorPagination


class CursorPagination(BaseCursorPagination):
    """`{"results": [...], "next": url}` paged by an opaque cursor (API.md "Lists")."""

    ordering = "-id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50


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
