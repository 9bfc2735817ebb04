"""Notes JSON API (API.md "Notes" and the notifications row): thin views over services.

`NoteSerializer` and `serialize_notes` are shared: feeds, search and shop render
their note lists with them, so every list shows the same shape in a fixed number
of queries.
"""

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts.api import UserSerializer, user_card
from posts import selectors, services, videos, view_counts
from posts.cards import CardImage, NoteCard, ProductCard, UrlPattern, cards_of, note_cards, storage_url, viewer_marks
from posts.models import Collection, Comment, Note, NoteImage
from redbook import input_fields, numbers
from redbook.client_ip import client_bucket
from redbook.exceptions import Invalid
from redbook.memo import Memo
from redbook.pagination import CursorPagination, page_schema
from redbook.parsers import JSONObjectParser
from redbook.renderers import HOT_RENDERERS
from redbook.storage import may_see_original
from redbook.throttling import CommentThrottle, PostThrottle
from shop.models import ProductImage


def _absolute(request, field) -> str | None:
    if not field:
        return None
    return request.build_absolute_uri(field.url) if request else field.url


def _user_context(request, users) -> dict:
    viewer = request.user if request else None
    ids = account_selectors.followed_ids(viewer=viewer, user_ids={u.pk for u in users if u is not None})
    return {"request": request, "followed_ids": ids}


# --- Serializers -------------------------------------------------------------------------


class NoteImageSerializer(serializers.Serializer):
    url = serializers.CharField(read_only=True)
    thumb_url = serializers.CharField(read_only=True)
    original_url = serializers.CharField(read_only=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    thumb_width = serializers.IntegerField()
    thumb_height = serializers.IntegerField()


class ProductSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price_min = serializers.DecimalField(max_digits=10, decimal_places=2)
    price_max = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    image = serializers.CharField(read_only=True, allow_null=True)
    brand = serializers.CharField(source="brand.username")


class NoteLocationSerializer(serializers.Serializer):
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)
    place_name = serializers.CharField()
    place_id = serializers.IntegerField(allow_null=True, help_text="The place page's place (posts/places.py).")
    place_url = serializers.CharField(allow_null=True, help_text="The place page, where the note has a place name.")


class VideoRenditionSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    bitrate_kbps = serializers.IntegerField()


class NoteVideoSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["processing", "ready", "failed"])
    error = serializers.CharField(required=False, help_text="Why processing failed, in the reader's language.")
    error_code = serializers.CharField(required=False)
    duration_s = serializers.FloatField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    poster_url = serializers.CharField(allow_null=True)
    renditions = VideoRenditionSerializer(many=True, help_text="H.264/AAC MP4, fast start, largest first.")


class NoteListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return serialize_notes(data, request=self.context.get("request"))


class NoteSerializer(serializers.ModelSerializer):
    """A note. The fields describe its shape (and the OpenAPI schema); `NoteCards` renders it."""

    author = UserSerializer(read_only=True)
    images = NoteImageSerializer(many=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    location = NoteLocationSerializer(read_only=True, allow_null=True)
    products = ProductSummarySerializer(many=True, read_only=True)
    media_type = serializers.ChoiceField(choices=["image", "video"], read_only=True)
    video = NoteVideoSerializer(read_only=True, allow_null=True)
    liked_by_me = serializers.BooleanField(read_only=True)
    saved_by_me = serializers.BooleanField(read_only=True)
    share_url = serializers.CharField(read_only=True)
    view_count = serializers.IntegerField(
        read_only=True,
        help_text="Flushed views plus those still buffered (posts/view_counts.py): a view shows at once.",
    )

    class Meta:
        model = Note
        list_serializer_class = NoteListSerializer
        fields = [
            "id",
            "author",
            "title",
            "body",
            "media_type",
            "images",
            "video",
            "tags",
            "location",
            "products",
            "like_count",
            "save_count",
            "comment_count",
            "view_count",
            "share_count",
            "reshare_count",
            "liked_by_me",
            "saved_by_me",
            "status",
            "share_url",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields

    def to_representation(self, note):
        return serialize_notes([note], request=self.context.get("request"))[0]


class NoteCards:
    """`posts.cards.NoteCard`s as NoteSerializer's dicts, in plain Python.

    What a page needs beyond the cards is looked up once: the viewer's likes, saves and
    followed authors (`viewer_marks`, one query), buffered views (one Redis call), and
    each distinct author's UserSerializer dict. Per card it only builds dicts: DRF's
    per-field machinery (a UserSerializer built per note) cost milliseconds a note.
    """

    _price = ProductSummarySerializer._declared_fields["price_min"]

    def __init__(self, cards: list[NoteCard], *, request):
        viewer = request.user if request else None
        self.viewer = viewer
        # DRF's datetime output, its time zone given: it is looked up once, not twice per note.
        self._timezone = timezone.get_current_timezone()
        self._datetime = serializers.DateTimeField(default_timezone=self._timezone)
        # Every URL on the page shares one origin: build it once, not per image URL
        # (build_absolute_uri per URL was a third of the card rendering time).
        self.origin = request.build_absolute_uri("/")[:-1] if request else ""
        self.marks = viewer_marks(viewer, cards)
        self.pending_views = view_counts.pending_views([card.id for card in cards])
        self.product_thumb_storage = ProductImage._meta.get_field("thumb").storage
        # One reverse() per page, not per note: the note id is the only part that varies.
        self.share_url = UrlPattern("posts:note-detail", "note_id")
        self.place_url = UrlPattern("posts:place", "place_id")
        self.image_storages = [NoteImage._meta.get_field(name).storage for name in ("display", "thumb", "original")]
        self.videos = videos.videos_of(cards)  # one query, only when a video note is on the page
        authors = {card.author_id: card.author for card in cards}
        followed = self.marks.followed
        self.authors = {pk: user_card(user, request=request, followed=pk in followed) for pk, user in authors.items()}

    def _original(self, name: str, author_id: int) -> str | None:
        """The private original's signed, short-lived URL: its author's and staff's only."""
        if not name or not may_see_original(self.viewer, author_id):
            return None
        return self._absolute(self.image_storages[2].url(name))  # local: a path of this app; S3: a presigned URL

    def _file(self, storage, name: str) -> str | None:
        return self._absolute(storage_url(storage, name)) if name else None

    def _absolute(self, url: str) -> str:
        """A stored file's URL: a path on this site (local disk) or already absolute (object store, CDN)."""
        return self.origin + url if url.startswith("/") else url

    def _image(self, image: CardImage, author_id: int) -> dict:
        display, thumb = self.image_storages[:2]
        return {
            "url": self._file(display, image.display),
            "thumb_url": self._file(thumb, image.thumb),
            "original_url": self._original(image.original, author_id),
            "width": image.width,
            "height": image.height,
            "thumb_width": image.thumb_width,
            "thumb_height": image.thumb_height,
        }

    def _product(self, product: ProductCard) -> dict:
        return {
            "id": product.id,
            "name": product.name,
            "price_min": self._price.to_representation(product.price_min),
            "price_max": self._price.to_representation(product.price_max),
            "currency": product.currency,
            "image": self._file(self.product_thumb_storage, product.thumb),
            "brand": product.brand,
        }

    def _location(self, card: NoteCard) -> dict:
        place_url = self.origin + self.place_url(card.place_id) if card.place_id else None
        return {
            "lat": card.lat,
            "lng": card.lng,
            "place_name": card.place_name,
            "place_id": card.place_id,
            "place_url": place_url,
        }

    def _media_fields(self, card: NoteCard) -> dict:
        """`media_type`, `images` and `video`: a video note's poster is stored as its cover
        image (posts/videos.py), shown as `video.poster_url`, not as a photo."""
        images = [self._image(image, card.author_id) for image in card.images]
        video = self.videos.get(card.id)
        if video is None:
            return {"media_type": card.media_type, "images": images, "video": None}
        poster = images[0]["url"] if images else None
        video_data = videos.video_dict(video, origin=self.origin, poster_url=poster)
        return {"media_type": card.media_type, "images": [], "video": video_data}

    def _shared_fields(self, card: NoteCard) -> dict:
        """The card's fields as every viewer on this site sees them, in the API's order; the
        per-viewer ones (author, view_count, liked_by_me, saved_by_me) hold their places."""
        has_location = card.has_location or card.place_name
        return {
            "id": card.id,
            "author": None,
            "title": card.title,
            "body": card.body,
            **self._media_fields(card),
            "tags": list(card.tags),
            "location": self._location(card) if has_location else None,
            "products": [self._product(product) for product in card.products],
            "like_count": card.like_count,
            "save_count": card.save_count,
            "comment_count": card.comment_count,
            "view_count": None,
            "share_count": card.share_count,
            "reshare_count": card.reshare_count,
            "liked_by_me": False,
            "saved_by_me": False,
            "status": card.status,
            "share_url": self.origin + self.share_url(card.id),
            "created_at": self._datetime.to_representation(card.created_at),
            "published_at": self._datetime.to_representation(card.published_at),
        }

    def render(self, card: NoteCard) -> dict:
        if card.id in self.videos or may_see_original(self.viewer, card.author_id):
            # A video's state, or originals' signed URLs for their author and staff: drawn each time.
            shared = self._shared_fields(card)
        else:
            shared = _SHARED_FIELDS.get((card, self.origin, self._timezone), lambda: self._shared_fields(card))
        return {
            **shared,  # the nested lists and dicts are shared with other responses: never changed
            "author": dict(self.authors[card.author_id]),
            "view_count": card.view_count + self.pending_views.get(card.id, 0),
            "liked_by_me": card.id in self.marks.liked,
            "saved_by_me": card.id in self.marks.saved,
        }


# A card's shared fields follow from the card, the site's origin and the time zone alone,
# and the same cards fill every viewer's lists: each process keeps those it built last,
# keyed by the whole card (a new count or title is a new key; nothing to invalidate).
_SHARED_FIELDS: Memo[dict] = Memo(size=4096)  # 2-10 KB a card (the body, up to 5,000 characters)


def serialize_notes(cards: list[NoteCard], *, request) -> list[dict]:
    """Cards from `posts.cards.note_cards` as API dicts: one query (the viewer's marks) and
    one Redis call for the whole list."""
    renderer = NoteCards(cards, request=request)
    return [renderer.render(card) for card in cards]


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    liked_by_me = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "parent_id", "created_at", "reply_count", "like_count", "liked_by_me"]
        read_only_fields = fields

    def get_author(self, comment) -> dict:
        return UserSerializer(comment.author, context=self.context).data

    def get_liked_by_me(self, comment) -> bool:
        return comment.pk in self.context.get("liked_comment_ids", set())


class RootCommentSerializer(CommentSerializer):
    """A root comment with its replies (prefetched by selectors.comments_for_note)."""

    replies = serializers.SerializerMethodField()

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "replies"]
        read_only_fields = fields

    def get_replies(self, comment) -> list[dict]:
        replies = getattr(comment, "_prefetched_objects_cache", {}).get("replies", [])
        return CommentSerializer(replies, many=True, context=self.context).data


def serialize_comments(comments, *, request, serializer_class=CommentSerializer) -> list[dict]:
    comments = list(comments)
    every = comments + [r for c in comments for r in getattr(c, "_prefetched_objects_cache", {}).get("replies", [])]
    context = {
        **_user_context(request, [c.author for c in every]),
        "liked_comment_ids": selectors.comment_liked_ids(viewer=request.user, comment_ids=[c.pk for c in every]),
    }
    return serializer_class(comments, many=True, context=context).data


class CollectionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    # Boards come from `collection_get` / `user_collections`: the notes this viewer can open.
    notes_count = serializers.IntegerField(source="visible_notes_count", read_only=True)

    class Meta:
        model = Collection
        fields = ["id", "name", "is_private", "is_default", "notes_count", "owner", "created_at"]
        read_only_fields = fields


# --- Input ---------------------------------------------------------------------------------


class NoteWriteSerializer(serializers.Serializer):
    """Note fields; `tags`, `product_ids` and `image_order` (a comma list, or the field
    repeated; a list in JSON) are read by `_list_param`."""

    # No length limits here: the service checks each against the model's max_length (one
    # limit, from the model), answering with its own code (title_too_long, body_too_long...).
    title = serializers.CharField(required=True, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    lat = input_fields.FloatField(required=False, allow_null=True)
    lng = input_fields.FloatField(required=False, allow_null=True)
    place_name = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=["draft", "published"], required=False)
    # Plain files here: redbook.images decides what is an image (415/413/400 with a message).
    images = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)
    video = serializers.FileField(
        required=False, help_text="POST only, instead of images: one MP4, MOV or WebM (500 MB, 10 minutes at most)."
    )
    cover = serializers.FileField(required=False, help_text="With a video: the cover image (else a frame of it).")
    image_order = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "PATCH only: ids of the note's images to keep, in order (the first is the cover), and "
            f'"{services.NEW_IMAGE}" where each new file of `images` goes; unplaced new files are appended. '
            "Without it, new `images` replace them all."
        ),
    )


def _list_param(data, name: str) -> list[str] | None:
    """`name=a,b` or `name=a&name=b` (form) or `"name": [...]` / "a,b" (JSON); None if absent."""
    if name not in data:
        return None
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
    if values is None:
        return []
    if isinstance(values, str | int) and not isinstance(values, bool):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(value, str | int) for value in values):
        raise Invalid(
            _("%(name)s must be a list of values or a comma-separated string.") % {"name": name}, code="invalid"
        )
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _product_ids(data) -> list[int] | None:
    raw = _list_param(data, "product_ids")
    if raw is None:
        return None
    ids = [numbers.parse_id(value) for value in raw]
    if None in ids:
        raise Invalid(_("product_ids must be product ids."), code="invalid_product_ids")
    return ids


# Read apart from the serializer: files from request.FILES (a browser's empty file input
# sends an empty part, which is no photo rather than a bad one), the order by `_list_param`.
_READ_APART = {"images", "image_order", "video", "cover"}


def _serializer_input(data):
    if not hasattr(data, "getlist"):  # JSON: anything but an object is the serializer's 400
        return {key: value for key, value in data.items() if key not in _READ_APART} if isinstance(data, dict) else data
    fields = QueryDict(mutable=True)  # not data.copy(): that deep-copies the uploaded files
    for key in data:
        if key not in _READ_APART:
            fields.setlist(key, data.getlist(key))
    return fields


def _note_input(request, *, partial: bool) -> dict:
    serializer = NoteWriteSerializer(data=_serializer_input(request.data), partial=partial)
    serializer.is_valid(raise_exception=True)
    fields = dict(serializer.validated_data)
    status_value = fields.pop("status", None)
    if status_value is not None:
        fields["publish"] = status_value == "published"
    # A new note's photos are its files in upload order: the order is an edit's alone.
    # JSON null is "leave the photos as they are", like leaving the field out.
    given = partial and request.data.get("image_order") is not None
    image_order = _list_param(request.data, "image_order") if given else None
    lists = {
        "tags": _list_param(request.data, "tags"),
        "product_ids": _product_ids(request.data),
        "image_order": None if image_order is None else services.image_order_parse(image_order),
    }
    fields.update({name: value for name, value in lists.items() if value is not None})
    if "images" in request.FILES:
        fields["images"] = request.FILES.getlist("images")
    for name in ("video", "cover"):  # a new note's only (PATCH ignores them)
        if not partial and request.FILES.get(name):
            fields[name] = request.FILES[name]
    return fields


def _note_response(request, note_id, *, status_code=status.HTTP_200_OK) -> Response:
    note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
    return Response(serialize_notes(cards_of([note.pk]), request=request)[0], status=status_code)


def _paginated(view, request, queryset, *, ordering, serialize):
    paginator = CursorPagination()
    paginator.ordering = ordering
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serialize(page, request=request))


def paginated_notes(view, request, notes, *, ordering, drafts: bool = False):
    """A page of a note list: its ids by keyset over `ordering`, then their cards
    (`drafts`: the list is the requester's own drafts, see `note_cards`)."""
    keys = dict.fromkeys(["id", *(name.lstrip("-") for name in ordering)])
    rows = notes.values(*keys)

    def serialize(page, *, request):
        ids = [row["id"] for row in page]
        return serialize_notes(note_cards(ids, request.user, drafts=drafts), request=request)

    return _paginated(view, request, rows, ordering=ordering, serialize=serialize)


# --- Views -----------------------------------------------------------------------------------


class NoteCreateView(APIView):
    parser_classes = (MultiPartParser, FormParser, JSONObjectParser)
    throttle_classes = (PostThrottle,)

    @extend_schema(request=NoteWriteSerializer, responses={201: NoteSerializer})
    def post(self, request):
        fields = _note_input(request, partial=False)
        publish = fields.pop("publish", True)
        note = services.note_create(author=request.user, draft=not publish, **fields)
        return _note_response(request, note.pk, status_code=status.HTTP_201_CREATED)


class NoteDetailView(APIView):
    renderer_classes = HOT_RENDERERS

    parser_classes = (MultiPartParser, FormParser, JSONObjectParser)

    @extend_schema(responses={200: NoteSerializer})
    def get(self, request, note_id):
        return _note_response(request, note_id)

    @extend_schema(request=NoteWriteSerializer, responses={200: NoteSerializer})
    def patch(self, request, note_id):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        services.note_update(note=note, editor=request.user, **_note_input(request, partial=True))
        return _note_response(request, note_id)

    @extend_schema(responses={204: None})
    def delete(self, request, note_id):
        services.note_delete(note=selectors.note_get_visible(viewer=request.user, note_id=note_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _NoteToggleView(APIView):
    """POST adds (201), DELETE removes (204); both idempotent."""

    permission_classes = (permissions.IsAuthenticated,)
    add: staticmethod
    remove: staticmethod
    count_field: str

    def _extra(self, request) -> dict:
        return {}

    @extend_schema(request=None, responses={201: None})
    def post(self, request, note_id):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        self.add(user=request.user, note=note, **self._extra(request))
        count = Note.objects.values_list(self.count_field, flat=True).get(pk=note.pk)
        return Response({self.count_field: count}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, note_id):
        self.remove(user=request.user, note=selectors.note_get_visible(viewer=request.user, note_id=note_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class NoteLikeView(_NoteToggleView):
    add, remove, count_field = staticmethod(services.note_like), staticmethod(services.note_unlike), "like_count"


class NoteSaveView(_NoteToggleView):
    add, remove, count_field = staticmethod(services.note_save), staticmethod(services.note_unsave), "save_count"

    def _extra(self, request) -> dict:
        raw = request.data.get("collection_id") if hasattr(request.data, "get") else None
        if raw in (None, ""):
            return {}
        collection_id = numbers.parse_id(raw)
        if collection_id is None:
            raise Invalid(_("collection_id must be a board id."), code="invalid_collection")
        return {"collection_id": collection_id}


class NoteReshareView(_NoteToggleView):
    add, remove = staticmethod(services.note_reshare), staticmethod(services.note_unreshare)
    count_field = "reshare_count"


class NoteShareView(APIView):
    permission_classes = (permissions.AllowAny,)

    @extend_schema(request=None, responses={200: None})
    def post(self, request, note_id):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        count = services.note_share(note=note, viewer_key=viewer_key(request))
        url = request.build_absolute_uri(reverse("posts:note-detail", kwargs={"note_id": note.pk}))
        return Response({"share_url": url, "share_count": count})


def viewer_key(request) -> str:
    """Who viewed or shared: the account, else the client's address (API.md: once per viewer per day).

    Not the session or the browser: an anonymous client drops its cookie or rotates its
    user agent at will, and each would count again. People behind one address count once.
    """
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    return "a:" + salted_hmac("posts.viewer_key", client_bucket(request)).hexdigest()[:32]


class NoteViewView(APIView):
    permission_classes = (permissions.AllowAny,)

    @extend_schema(request=None, responses={202: None})
    def post(self, request, note_id):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        user_id = request.user.pk if request.user.is_authenticated else None
        view_counts.view_record(note_id=note.pk, viewer_id=user_id, viewer_key=viewer_key(request))
        return Response(status=status.HTTP_202_ACCEPTED)


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    parent_id = input_fields.IntegerField(required=False, allow_null=True, min_value=1)


class NoteCommentsView(APIView):
    throttle_classes = (CommentThrottle,)

    @extend_schema(responses={200: page_schema(RootCommentSerializer)})
    def get(self, request, note_id):
        note = selectors.note_get_visible(viewer=request.user, note_id=note_id)
        raw_parent = request.query_params.get("parent_id")
        parent_id = None if raw_parent is None else numbers.parse_id(raw_parent)
        if raw_parent is not None and parent_id is None:
            raise Invalid(_("parent_id must be a comment id."), code="invalid_parent")
        comments = selectors.comments_for_note(note=note, viewer=request.user, parent_id=parent_id)
        serializer_class = CommentSerializer if parent_id else RootCommentSerializer

        def serialize(page, *, request):
            return serialize_comments(page, request=request, serializer_class=serializer_class)

        return _paginated(self, request, comments, ordering=("id",), serialize=serialize)

    @extend_schema(request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request, note_id):
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = selectors.note_get_commentable(viewer=request.user, note_id=note_id)
        comment = services.comment_create(author=request.user, note=note, **serializer.validated_data)
        data = serialize_comments([comment], request=request)[0]
        return Response(data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, comment_id):
        services.comment_delete(
            comment=selectors.comment_get(viewer=request.user, comment_id=comment_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentLikeView(APIView):
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(request=None, responses={201: None})
    def post(self, request, comment_id):
        comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
        services.comment_like(user=request.user, comment=comment)
        count = Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
        return Response({"like_count": count}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, comment_id):
        services.comment_unlike(
            user=request.user, comment=selectors.comment_get(viewer=request.user, comment_id=comment_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    is_private = serializers.BooleanField(required=False, default=False)


class CollectionsView(APIView):
    """GET: your boards (or `?username=`'s visible ones); POST: a new board."""

    @extend_schema(responses={200: page_schema(CollectionSerializer)})
    def get(self, request):
        username = request.query_params.get("username")
        if username:
            owner = account_selectors.user_get_visible(username=username, viewer=request.user)
        elif request.user.is_authenticated:
            owner = request.user
        else:
            raise NotAuthenticated(_("Sign in, or pass ?username= to see someone's boards."))
        boards = selectors.user_collections(owner=owner, viewer=request.user)

        def serialize(page, *, request):
            return CollectionSerializer(page, many=True).data

        return _paginated(self, request, boards, ordering=("-id",), serialize=serialize)

    @extend_schema(request=CollectionInputSerializer, responses={201: CollectionSerializer})
    def post(self, request):
        serializer = CollectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        board = services.collection_create(owner=request.user, **serializer.validated_data)
        board = selectors.collection_get(viewer=request.user, collection_id=board.pk)
        return Response(CollectionSerializer(board).data, status=status.HTTP_201_CREATED)


class CollectionUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, required=False)
    is_private = serializers.BooleanField(required=False)


class CollectionDetailView(APIView):
    """GET: a board you may see; PATCH (rename, `is_private`) and DELETE: its owner only.

    Deleting a board moves its notes to your "Saved" board: nothing you saved is lost.
    """

    @extend_schema(operation_id="v1_collection_retrieve", responses={200: CollectionSerializer})
    def get(self, request, collection_id):
        board = selectors.collection_get(viewer=request.user, collection_id=collection_id)
        return Response(CollectionSerializer(board).data)

    @extend_schema(request=CollectionUpdateSerializer, responses={200: CollectionSerializer})
    def patch(self, request, collection_id):
        selectors.collection_get(viewer=request.user, collection_id=collection_id)
        serializer = CollectionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.collection_update(user=request.user, collection_id=collection_id, **serializer.validated_data)
        board = selectors.collection_get(viewer=request.user, collection_id=collection_id)
        return Response(CollectionSerializer(board).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, collection_id):
        selectors.collection_get(viewer=request.user, collection_id=collection_id)
        services.collection_delete(user=request.user, collection_id=collection_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionNotesView(APIView):
    renderer_classes = HOT_RENDERERS

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request, collection_id):
        board = selectors.collection_get(viewer=request.user, collection_id=collection_id)
        notes = selectors.collection_notes(collection=board, viewer=request.user)
        return paginated_notes(self, request, notes, ordering=("-saved_id",))


class TagNotesView(APIView):
    renderer_classes = HOT_RENDERERS

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request, name):
        sort = request.query_params.get("sort", "hot")
        notes = selectors.tag_notes(name=name, viewer=request.user, sort=sort)
        return paginated_notes(self, request, notes, ordering=selectors.SORTS[sort])


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)


class PlaceView(APIView):
    """A place (posts/places.py): where its notes were taken."""

    @extend_schema(responses={200: PlaceSerializer})
    def get(self, request, place_id):
        return Response(PlaceSerializer(selectors.place_get(place_id=place_id)).data)


class PlaceNotesView(APIView):
    """The notes at a place, nearest its centre first (those with no coordinates last)."""

    renderer_classes = HOT_RENDERERS

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request, place_id):
        place = selectors.place_get(place_id=place_id)
        notes = selectors.place_notes(place=place, viewer=request.user)
        return paginated_notes(self, request, notes, ordering=selectors.PLACE_ORDERING)


class UserNotesView(APIView):
    renderer_classes = HOT_RENDERERS

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request, username):
        author = account_selectors.user_get_visible(username=username, viewer=request.user)
        drafts = request.query_params.get("status") == "draft"
        notes = selectors.user_notes(author=author, viewer=request.user, drafts=drafts)
        return paginated_notes(self, request, notes, ordering=("-id",), drafts=drafts)


class MyDraftsView(APIView):
    """GET: the signed-in author's drafts, newest first (the profile's Drafts tab)."""

    renderer_classes = HOT_RENDERERS
    permission_classes = (permissions.IsAuthenticated,)

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request):
        drafts = selectors.user_notes(author=request.user, viewer=request.user, drafts=True)
        return paginated_notes(self, request, drafts, ordering=("-id",), drafts=True)


class UserLikesView(APIView):
    """The notes a user liked, most recent like first: 403 `likes_private` unless they show them."""

    renderer_classes = HOT_RENDERERS

    @extend_schema(responses={200: page_schema(NoteSerializer)})
    def get(self, request, username):
        owner = account_selectors.user_get_visible(username=username, viewer=request.user)
        notes = selectors.user_liked_notes(owner=owner, viewer=request.user)
        return paginated_notes(self, request, notes, ordering=("-liked_id",))
