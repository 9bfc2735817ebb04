"""Feeds JSON API (API.md "Feeds and search", feeds rows), topic follows and muted keywords: thin views."""

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.api import UserSerializer, user_card
from feeds import selectors, services
from feeds.models import MutedKeyword
from posts.api import NoteSerializer, serialize_notes
from redbook import cursors, input_fields, numbers
from redbook.exceptions import Invalid
from redbook.pagination import page_schema
from redbook.renderers import HOT_RENDERERS

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 100.0


def _page_size(request) -> int:
    """`?page_size=` up to 50; anything unusable falls back to the default, as DRF's paginators do."""
    try:
        size = numbers.parse_int(request.query_params.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE


def _feed_response(request, items, next_cursor) -> Response:
    """`{"results": notes with their feed fields, "next": url}`; the notes serialized in one go."""
    data = serialize_notes([note for note, _ in items], request=request)
    resharers = {extra["reshared_by"].pk: extra["reshared_by"] for _, extra in items if extra.get("reshared_by")}
    # Each user built once, not once per row; resharers are followees by definition.
    resharer_data = {pk: user_card(user, request=request, followed=True) for pk, user in resharers.items()}
    for row, (_note, extra) in zip(data, items, strict=True):
        for name, value in extra.items():
            row[name] = dict(resharer_data[value.pk]) if name == "reshared_by" and value else value
    next_url = None
    if next_cursor is not None:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", cursors.cursor_encode(next_cursor))
    return Response({"results": data, "next": next_url})


class FeedItemSerializer(NoteSerializer):
    """A note plus the feed's fields (documentation only: feeds build rows with `serialize_notes`)."""

    reason = serializers.CharField(required=False)
    reason_code = serializers.CharField(required=False)
    distance_km = serializers.FloatField(required=False)
    reshared_by = UserSerializer(required=False, allow_null=True)

    class Meta(NoteSerializer.Meta):
        fields = [*NoteSerializer.Meta.fields, "reason", "reason_code", "distance_km", "reshared_by"]
        read_only_fields = fields


_CURSOR = OpenApiParameter("cursor", str, required=False)
_PAGE_SIZE = OpenApiParameter("page_size", int, required=False)


class FollowFeedView(APIView):
    renderer_classes = HOT_RENDERERS
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[_CURSOR, _PAGE_SIZE], responses=page_schema(FeedItemSerializer))
    def get(self, request):
        cursor = selectors.follow_cursor(request.query_params.get("cursor"))
        items, next_cursor = selectors.follow_feed(viewer=request.user, cursor=cursor, size=_page_size(request))
        return _feed_response(request, items, next_cursor)


class ExploreFeedView(APIView):
    renderer_classes = HOT_RENDERERS
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[_CURSOR, _PAGE_SIZE, OpenApiParameter("channel", str, required=False)],
        responses=page_schema(FeedItemSerializer),
    )
    def get(self, request):
        channel = selectors.channel_get(request.query_params.get("channel"))
        cursor = selectors.explore_cursor(request.query_params.get("cursor"))
        items, next_cursor = selectors.explore_feed(
            viewer=request.user, channel=channel, cursor=cursor, size=_page_size(request)
        )
        return _feed_response(request, items, next_cursor)


class ChannelSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="display_name")


class ChannelsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ChannelSerializer(many=True))
    def get(self, request):
        return Response(ChannelSerializer(selectors.channels_list(), many=True).data)


def _coordinate(request, name: str, limit: float, *, default: float | None = None) -> float:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is not None:
            return default
        raise Invalid(_("%(name)s is required.") % {"name": name}, code="required")
    try:
        value = numbers.parse_float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Invalid(_("%(name)s must be a number.") % {"name": name}, code="invalid")
    if abs(value) > limit:
        raise Invalid(_("%(name)s must be between -%(limit)s and %(limit)s.") % {"name": name, "limit": limit})
    return value


def _radius(request) -> float:
    radius = _coordinate(request, "radius_km", math.inf, default=DEFAULT_RADIUS_KM)
    if radius <= 0:
        raise Invalid(_("radius_km must be greater than 0."))
    return min(radius, MAX_RADIUS_KM)


class NearbyFeedView(APIView):
    renderer_classes = HOT_RENDERERS
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lng", float, required=True),
            OpenApiParameter("radius_km", float, required=False, description="default 10, at most 100"),
            _CURSOR,
            _PAGE_SIZE,
        ],
        responses=page_schema(FeedItemSerializer),
    )
    def get(self, request):
        lat, lng = _coordinate(request, "lat", 90), _coordinate(request, "lng", 180)
        cursor = selectors.nearby_cursor(request.query_params.get("cursor"))
        items, next_cursor = selectors.nearby_feed(
            viewer=request.user,
            lat=lat,
            lng=lng,
            radius_km=_radius(request),
            cursor=cursor,
            size=_page_size(request),
        )
        return _feed_response(request, items, next_cursor)


class NotInterestedSerializer(serializers.Serializer):
    note_id = input_fields.IntegerField(min_value=1)


class NotInterestedView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=NotInterestedSerializer, responses={204: None})
    def post(self, request):
        body = NotInterestedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.not_interested_create(user=request.user, note_id=body.validated_data["note_id"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class TopicFollowView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: None})
    def post(self, request, name):
        services.topic_follow_create(user=request.user, tag_name=name)
        return Response({"tag": name, "following": True}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request, name):
        services.topic_follow_delete(user=request.user, tag_name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MutedKeywordSerializer(serializers.ModelSerializer):
    class Meta:
        model = MutedKeyword
        fields = ["id", "keyword", "created_at"]
        read_only_fields = ["id", "created_at"]


class KeywordInputSerializer(serializers.Serializer):
    keyword = serializers.CharField(allow_blank=True, max_length=200)  # the service gives the precise message


class MutedKeywordsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=page_schema(MutedKeywordSerializer))
    def get(self, request):
        keywords = MutedKeyword.objects.filter(user=request.user)
        return Response({"results": MutedKeywordSerializer(keywords, many=True).data, "next": None})

    @extend_schema(request=MutedKeywordSerializer, responses={201: MutedKeywordSerializer})
    def post(self, request):
        body = KeywordInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        keyword, created = services.muted_keyword_add(user=request.user, keyword=body.validated_data["keyword"])
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(MutedKeywordSerializer(keyword).data, status=code)


class MutedKeywordDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, keyword_id):
        services.muted_keyword_remove(user=request.user, keyword_id=keyword_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
