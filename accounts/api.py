"""Accounts JSON API (API.md "Accounts"): thin views over services and selectors."""

from django.contrib.auth import logout
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services, two_factor
from accounts.models import ApiToken, User
from redbook import input_fields
from redbook.pagination import CursorPagination, page_schema
from redbook.parsers import JSONObjectParser
from redbook.throttling import (
    FollowThrottle,
    LoginIPThrottle,
    LoginThrottle,
    PasswordChangeThrottle,
    SignupThrottle,
)


class UserSerializer(serializers.ModelSerializer):
    """The public user shape, shared by every app.

    For lists, pass `context={"request": ..., "followed_ids": selectors.followed_ids(...)}`
    computed once per page; without it `followed_by_me` costs one query per user.
    """

    avatar_url = serializers.SerializerMethodField()
    is_brand = serializers.BooleanField(read_only=True)
    followed_by_me = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "bio",
            "avatar_url",
            "is_brand",
            "is_verified",
            "followers_count",
            "following_count",
            "notes_count",
            "followed_by_me",
        ]
        read_only_fields = fields

    def get_avatar_url(self, user) -> str | None:
        return _avatar_url(user, self.context.get("request"))

    def get_followed_by_me(self, user) -> bool:
        ids = self.context.get("followed_ids")
        if ids is None:
            request = self.context.get("request")
            ids = selectors.followed_ids(viewer=request and request.user, user_ids=[user.pk])
        return user.pk in ids

    def to_representation(self, user):
        """`user_card`: the same dict as the fields above would give, without DRF's per-field work."""
        return user_card(user, request=self.context.get("request"), followed=self.get_followed_by_me(user))


def _avatar_url(user, request) -> str | None:
    if not user.avatar:
        return None
    return request.build_absolute_uri(user.avatar.url) if request else user.avatar.url


def user_card(user: User, *, request, followed: bool) -> dict:
    """`UserSerializer`'s dict for `user`, built directly: lists (note authors) render many."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "avatar_url": _avatar_url(user, request),
        "is_brand": user.is_brand,
        "is_verified": user.is_verified,
        "followers_count": user.followers_count,
        "following_count": user.following_count,
        "notes_count": user.notes_count,
        "followed_by_me": followed,
    }


class MeSerializer(UserSerializer):
    """Your own account: the public shape plus what only you see."""

    email = serializers.CharField(read_only=True)  # may be blank, so not `format: email` in the schema

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "email", "location", "account_type", "is_suspended", "likes_public"]
        read_only_fields = fields

    # Its fields differ from `user_card`'s: DRF renders them, field by field (one user per response).
    to_representation = serializers.ModelSerializer.to_representation


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    display_name = serializers.CharField(
        max_length=input_fields.max_length_of(User, "display_name"), required=False, allow_blank=True, default=""
    )
    account_type = serializers.ChoiceField(choices=User.AccountType.choices, default=User.AccountType.PERSONAL)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp_token = serializers.CharField(max_length=12, required=False, default="")  # accounts with a second factor


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class ApiTokenSerializer(serializers.Serializer):
    """One of your tokens, never its key: `key_prefix` tells them apart, `current` is the one in use."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    key_prefix = serializers.CharField(source="prefix")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        used = self.context["request"].auth
        return isinstance(used, ApiToken) and used.pk == token.pk


class ProfileUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(
        max_length=input_fields.max_length_of(User, "display_name"), required=False, allow_blank=True
    )
    bio = serializers.CharField(max_length=input_fields.max_length_of(User, "bio"), required=False, allow_blank=True)
    location = serializers.CharField(
        max_length=input_fields.max_length_of(User, "location"), required=False, allow_blank=True
    )
    # A plain file: redbook.images decides what is an image (415/413/400 with a message).
    avatar = serializers.FileField(required=False)
    likes_public = serializers.BooleanField(required=False)


def _user_response(request, user, *, status_code=status.HTTP_200_OK, serializer_class=UserSerializer):
    return Response(serializer_class(user, context={"request": request}).data, status=status_code)


class RegisterView(APIView):
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = (SignupThrottle,)

    @extend_schema(request=RegisterSerializer, responses={201: MeSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return _user_response(request, user, status_code=status.HTTP_201_CREATED, serializer_class=MeSerializer)


class TokenView(APIView):
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    # Attempts per username+IP, counted atomically on arrival (a parallel burst cannot
    # slip past), reset on success; plus a ceiling per IP across usernames.
    throttle_classes = (LoginThrottle, LoginIPThrottle)

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = dict(serializer.validated_data)
        otp_token = credentials.pop("otp_token")
        user = services.user_login(request=request, **credentials)
        two_factor.second_factor_require(user=user, otp_token=otp_token)  # a wrong code counts as a failure
        LoginThrottle.reset(request)
        _token, key = services.token_issue(user=user, name=request.META.get("HTTP_USER_AGENT", ""))
        return Response({"token": key})


class LogoutView(APIView):
    """Revokes the token this request used (the account's other tokens live on) and ends the session."""

    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            services.token_delete(user=request.user, token_id=request.auth.pk)
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeTokensView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(responses={200: page_schema(ApiTokenSerializer)})
    def get(self, request):
        tokens = selectors.tokens_of(user=request.user)  # at most MAX_TOKENS_PER_USER: one page
        results = ApiTokenSerializer(tokens, many=True, context={"request": request}).data
        return Response({"results": results, "next": None})


class MeTokenView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_id: int):
        services.token_delete(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MePasswordView(APIView):
    """Change your password: every token of the account is revoked (log in again for a new one)."""

    permission_classes = (permissions.IsAuthenticated,)
    throttle_classes = (PasswordChangeThrottle, LoginIPThrottle)  # guessing the current password

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, request=request, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = (permissions.IsAuthenticated,)
    parser_classes = (JSONObjectParser, MultiPartParser, FormParser)

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return _user_response(request, request.user, serializer_class=MeSerializer)

    @extend_schema(request=ProfileUpdateSerializer, responses={200: MeSerializer})
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **serializer.validated_data)
        return _user_response(request, user, serializer_class=MeSerializer)


class UserDetailView(APIView):
    @extend_schema(responses={200: UserSerializer})
    def get(self, request, username):
        return _user_response(request, selectors.user_get_visible(username=username, viewer=request.user))


class FollowView(APIView):
    permission_classes = (permissions.IsAuthenticated,)
    throttle_classes = (FollowThrottle,)

    # Blocks are not filtered here on purpose: following someone who blocked you is a 403.
    @extend_schema(request=None, responses={201: UserSerializer})
    def post(self, request, username):
        followee = selectors.user_get_active(username=username)
        services.follow_create(follower=request.user, followee=followee)
        followee.refresh_from_db(fields=["followers_count", "following_count"])
        return _user_response(request, followee, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, username):
        services.follow_delete(follower=request.user, followee=selectors.user_get_active(username=username))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={201: UserSerializer})
    def post(self, request, username):
        blocked = selectors.user_get_active(username=username)
        services.block_create(blocker=request.user, blocked=blocked)
        blocked.refresh_from_db(fields=["followers_count", "following_count"])
        return _user_response(request, blocked, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, username):
        services.block_delete(blocker=request.user, blocked=selectors.user_get_active(username=username))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _EdgeListView(generics.GenericAPIView):
    """A page of users from Follow edges, `followed_by_me` computed once for the page."""

    serializer_class = UserSerializer
    pagination_class = CursorPagination
    edges: staticmethod  # selector: (user, viewer) -> Follow queryset
    side: str  # which end of each edge is listed

    @extend_schema(responses={200: UserSerializer(many=True)})
    def get(self, request, username):
        user = selectors.user_get_visible(username=username, viewer=request.user)
        page = self.paginate_queryset(self.edges(user=user, viewer=request.user))
        users = [getattr(edge, self.side) for edge in page]
        context = {
            "request": request,
            "followed_ids": selectors.followed_ids(viewer=request.user, user_ids=[u.pk for u in users]),
        }
        return self.get_paginated_response(UserSerializer(users, many=True, context=context).data)


class FollowersView(_EdgeListView):
    edges = staticmethod(selectors.follower_edges)
    side = "follower"


class FollowingView(_EdgeListView):
    edges = staticmethod(selectors.following_edges)
    side = "followee"


class MentionSuggestView(APIView):
    """GET `?q=`: up to 8 accounts an @-mention may complete to (the composer's autocomplete)."""

    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="the start of a username or display name")],
        responses={200: page_schema(UserSerializer, name="MentionSuggestions")},
    )
    def get(self, request):
        users = selectors.mention_candidates(viewer=request.user, prefix=request.query_params.get("q", ""))
        followed = {user.pk for user in users if user.followed}
        context = {"request": request, "followed_ids": followed}
        return Response({"results": UserSerializer(users, many=True, context=context).data, "next": None})
