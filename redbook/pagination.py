from rest_framework.pagination import CursorPagination as BaseCursorPagination


class CursorPagination(BaseCursorPagination):
    """`{"results": [...], "next": url}` paged by an opaque cursor (API.md "Lists")."""

    ordering = "-id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50
