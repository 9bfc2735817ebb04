"""Messages JSON API (API.md "Messages"): thin views over services and selectors."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from messaging import realtime, selectors, services
from messaging.cards import conversation_card, message_card
from messaging.models import Membership
from messaging.throttles import ConversationThrottle, MessageThrottle
from redbook import numbers
from redbook.exceptions import Invalid
from redbook.pagination import CursorPagination, page_schema
from redbook.parsers import JSONObjectParser

AFTER_LIMIT = 200  # a catch-up page; `next` continues from its last message


class MessageSerializer(serializers.Serializer):  # the schema of `message_card`
    id = serializers.IntegerField()
    conversation_id = serializers.IntegerField()
    sender = serializers.DictField()
    body = serializers.CharField()
    note = serializers.DictField(allow_null=True)
    product = serializers.DictField(allow_null=True)
    image = serializers.DictField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_by_other = serializers.BooleanField()


class ConversationSerializer(serializers.Serializer):  # the schema of `conversation_card`
    id = serializers.IntegerField()
    other = serializers.DictField()
    last_message = MessageSerializer(allow_null=True)
    unread_count = serializers.IntegerField()
    is_request = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class StartSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class SendSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=services.BODY_MAX, trim_whitespace=True)
    note_id = serializers.CharField(required=False, allow_blank=True, max_length=30)
    product_id = serializers.CharField(required=False, allow_blank=True, max_length=30)
    image = serializers.FileField(required=False, allow_empty_file=False)  # checked by redbook.images


def _paged(view, request, queryset, *, ordering, render):
    paginator = CursorPagination()
    paginator.ordering = ordering
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(render(page))


def _followed(request, user_ids) -> set:
    return account_selectors.followed_ids(viewer=request.user, user_ids=set(user_ids))


def _conversation_response(request, conversation_id, *, status_code=status.HTTP_200_OK) -> Response:
    membership = selectors.inbox_row(user=request.user, conversation_id=conversation_id)
    followed = _followed(request, [membership.other_id])
    return Response(conversation_card(membership, request=request, followed=followed), status=status_code)


class ConversationListView(APIView):
    permission_classes = (permissions.IsAuthenticated,)
    throttle_classes = (ConversationThrottle,)

    @extend_schema(operation_id="conversations_list", responses={200: page_schema(ConversationSerializer)})
    def get(self, request):
        folder = request.query_params.get("folder", Membership.Folder.INBOX)
        if folder not in Membership.Folder.values:
            raise Invalid(_("folder is inbox or requests."), code="invalid_folder")

        def render(rows):
            followed = _followed(request, [row.other_id for row in rows])
            return [conversation_card(row, request=request, followed=followed) for row in rows]

        rows = selectors.inbox(user=request.user, folder=folder)
        return _paged(self, request, rows, ordering=("-updated_at", "-id"), render=render)

    @extend_schema(request=StartSerializer, responses={200: ConversationSerializer, 201: ConversationSerializer})
    def post(self, request):
        serializer = StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        other = account_selectors.user_get_active(username=serializer.validated_data["username"])
        conversation, created = services.conversation_start(user=request.user, other=other)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return _conversation_response(request, conversation.pk, status_code=code)


class ConversationDetailView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(operation_id="conversation_retrieve", responses={200: ConversationSerializer})
    def get(self, request, conversation_id):
        return _conversation_response(request, conversation_id)

    @extend_schema(responses={204: None})
    def delete(self, request, conversation_id):
        services.conversation_delete(user=request.user, conversation_id=conversation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConversationAcceptView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={200: ConversationSerializer})
    def post(self, request, conversation_id):
        services.conversation_accept(user=request.user, conversation_id=conversation_id)
        return _conversation_response(request, conversation_id)


class ReadSerializer(serializers.Serializer):
    up_to = serializers.CharField(max_length=30)


class ConversationReadView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=ReadSerializer, responses={204: None})
    def post(self, request, conversation_id):
        serializer = ReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.conversation_read(
            user=request.user, conversation_id=conversation_id, up_to=serializer.validated_data["up_to"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageListView(APIView):
    permission_classes = (permissions.IsAuthenticated,)
    parser_classes = (MultiPartParser, FormParser, JSONObjectParser)
    throttle_classes = (MessageThrottle,)

    @extend_schema(responses={200: page_schema(MessageSerializer)})
    def get(self, request, conversation_id):
        membership = selectors.membership_get(user=request.user, conversation_id=conversation_id)
        followed = _followed(request, [request.user.pk, membership.other_id])

        def render(rows):
            return [
                message_card(row, request=request, other_read_id=membership.other_read_id or 0, followed=followed)
                for row in rows
            ]

        if "after" in request.query_params:
            return self._after(request, membership, render)
        return _paged(self, request, selectors.messages_before(membership=membership), ordering="-id", render=render)

    def _after(self, request, membership, render) -> Response:
        try:
            after_id = numbers.parse_int(request.query_params["after"], min_value=0)
        except ValueError:
            raise Invalid(_("after is a message id."), code="invalid_after") from None
        rows = selectors.messages_after(membership=membership, after_id=after_id, limit=AFTER_LIMIT)
        next_url = None
        if len(rows) == AFTER_LIMIT:
            next_url = request.build_absolute_uri(f"{request.path}?after={rows[-1].pk}")
        return Response({"results": render(rows), "next": next_url})

    @extend_schema(request=SendSerializer, responses={201: MessageSerializer})
    def post(self, request, conversation_id):
        serializer = SendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message, _created = services.message_send(
            sender=request.user,
            conversation_id=conversation_id,
            idempotency_key=request.headers.get("Idempotency-Key"),
            **serializer.validated_data,
        )
        membership = selectors.membership_get(user=request.user, conversation_id=conversation_id)
        card = message_card(message, request=request, other_read_id=membership.other_read_id or 0)
        return Response(card, status=status.HTTP_201_CREATED)


class UnreadCountView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(responses={200: inline_serializer("UnreadCount", {"count": serializers.IntegerField()})})
    def get(self, request):
        return Response({"count": selectors.unread_total(user=request.user)})


def websocket_url(request) -> str:
    """The socket's address: REALTIME_WS_URL, else /ws/ on the host the page came from."""
    if settings.REALTIME_WS_URL:
        return settings.REALTIME_WS_URL
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}/ws/"


class TicketView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "RealtimeTicket", {"ticket": serializers.CharField(), "url": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        ticket = realtime.ticket_issue(user_id=request.user.pk)
        return Response({"ticket": ticket, "url": f"{websocket_url(request)}?ticket={ticket}"}, status=201)
