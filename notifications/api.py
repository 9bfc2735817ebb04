"""Notifications JSON API (API.md, the notifications row): thin views over selectors and services."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.api import UserSerializer
from notifications import selectors, services
from notifications.models import Notification
from redbook.pagination import CursorPagination, page_schema


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "verb", "kind", "actor", "note", "comment", "text", "url", "is_read", "created_at"]
        read_only_fields = fields

    def get_actor(self, row) -> dict | None:
        return UserSerializer(row.actor, context=self.context).data if row.actor else None

    def get_note(self, row) -> dict | None:
        if row.note is None:
            return None
        covers = list(row.note.images.all())
        thumb = self._absolute(covers[0].thumb.url) if covers else None
        return {"id": row.note_id, "title": row.note.title, "thumb_url": thumb}

    def get_comment(self, row) -> dict | None:
        return {"id": row.comment_id, "body": row.comment.body} if row.comment else None

    def get_kind(self, row) -> str:
        """What happened: the verb for people's actions, e.g. "content_taken_down" or
        "order_paid" for system messages (notifications/system.py KINDS)."""
        return row.kind or row.verb

    def get_text(self, row) -> str:
        return selectors.notification_text(row)

    def get_url(self, row) -> str:
        """A site path to open (empty when there is nothing to show)."""
        return selectors.notification_url(row)

    def get_is_read(self, row) -> bool:
        return row.read_at is not None

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def _serializer_context(request, rows) -> dict:
    """ "followed by me" for the page's actors in one query."""
    actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
    return {"request": request, "followed_ids": account_selectors.followed_ids(viewer=request.user, user_ids=actor_ids)}


class NotificationsView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(responses={200: page_schema(NotificationSerializer, unread_count=serializers.IntegerField())})
    def get(self, request):
        paginator = CursorPagination()  # newest first ("-id")
        page = paginator.paginate_queryset(selectors.notifications_for(user=request.user), request, view=self)
        data = NotificationSerializer(page, many=True, context=_serializer_context(request, page)).data
        response = paginator.get_paginated_response(data)
        response.data["unread_count"] = selectors.unread_count(user=request.user)
        return response


class NotificationsReadView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.notifications_mark_read(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
