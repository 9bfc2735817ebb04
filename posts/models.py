import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from accounts.models import unblocked
from redbook.storage import originals_storage

# Xiaohongshu keeps titles short: the composer counts down from 20 characters.
# The API accepts up to 100 so that clients with longer titles are not turned away.
TITLE_COMPOSER_LENGTH = 20
TITLE_MAX_LENGTH = 100
MAX_IMAGES = 9


class Place(models.Model):
    """Where notes were taken: one row per place, however many notes name it.

    Keyed by the name folded (width, case, spaces) and the coordinates rounded to a
    cell of about 1 km (posts/places.py), so "Starbucks 武康路" from two notes taken a
    few metres apart is one place, and a Starbucks in another city another.
    """

    key = models.CharField(max_length=140, unique=True)
    name = models.CharField(_("place"), max_length=100)
    # The first note's coordinates: where the place page centres its map (None: a name only).
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("place")

    def __str__(self):
        return self.name

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None


class NoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Note.Status.PUBLISHED)

    def public(self):
        """Published, not hidden by moderation, by an account in good standing."""
        return self.published().filter(is_hidden=False, author__is_active=True, author__is_suspended=False)

    def visible_to(self, viewer):
        """What `viewer` may open: public notes minus blocked authors, plus their own."""
        if viewer is None or not viewer.is_authenticated:
            return self.public()
        if viewer.is_staff:
            return self.exclude(status=Note.Status.DELETED)
        return self.visible_to_member(viewer.pk)

    def visible_to_member(self, viewer_id):
        """`visible_to` a signed-in, non-staff viewer; `viewer_id` a value or a `redbook.prepared.Arg`."""
        own = Q(author_id=viewer_id) & ~Q(status=Note.Status.DELETED)
        # public() spelled as plain conditions, not `pk__in=<subquery>`: Postgres runs such a
        # subquery as a hashed scan of every note, per request (30 ms at 20k notes, seconds at 1M).
        # The blocks' subqueries are small: a viewer's own blocks, by index.
        others = Q(
            status=Note.Status.PUBLISHED, is_hidden=False, author__is_active=True, author__is_suspended=False
        ) & unblocked("author_id", viewer_id)
        return self.filter(own | others)


class TaggedNote(TaggedItemBase):
    """Direct FK through-table: tag lookups stay a plain index scan at a million notes."""

    content_object = models.ForeignKey("Note", on_delete=models.CASCADE)


class Note(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DELETED = "deleted", _("Deleted")
        # A video note waiting for its video (posts/videos.py): published once it is ready,
        # so every list, feed and search (all filter on PUBLISHED) leaves it out until then.
        PROCESSING = "processing", _("Processing")

    class MediaType(models.TextChoices):
        IMAGE = "image", _("Photos")
        VIDEO = "video", _("Video")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("body"), max_length=5000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    media_type = models.CharField(max_length=5, choices=MediaType.choices, default=MediaType.IMAGE)
    # A video note's length in whole seconds, on the row so a card's badge needs no query.
    video_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)

    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")

    tags = TaggableManager(through=TaggedNote, blank=True)
    products = models.ManyToManyField("shop.Product", blank=True, related_name="notes")

    # Denormalized counters, kept right by services with F-expressions.
    like_count = models.PositiveIntegerField(default=0)
    save_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    share_count = models.PositiveIntegerField(default=0)
    reshare_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"]),
            models.Index(fields=["lat", "lng"], name="note_latlng", condition=Q(lat__isnull=False)),
            models.Index(fields=["-like_count"], name="note_hot"),
        ]

    def __str__(self):
        return self.title

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None


class NoteImage(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    # Private: in the "originals" store, reachable by signed URL for author and staff (redbook/storage.py).
    original = models.ImageField(upload_to="notes/original/%Y/%m/", storage=originals_storage)
    display = models.ImageField(upload_to="notes/display/%Y/%m/")
    thumb = models.ImageField(upload_to="notes/thumb/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumb_width = models.PositiveIntegerField()
    thumb_height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["note", "position"], name="noteimage_unique_position")]


class NoteVideo(models.Model):
    """A video note's video: the private original, then its renditions and poster (posts/videos.py).

    The poster is stored as the note's cover image (a NoteImage at position 0, in the image
    pipeline's sizes), so every card and widget shows it like a photo note's cover.
    """

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    note = models.OneToOneField(Note, on_delete=models.CASCADE, related_name="video")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROCESSING)
    error = models.CharField(max_length=300, blank=True)
    original = models.CharField(max_length=200)  # a name in storages["originals"], never served
    has_cover = models.BooleanField(default=False)  # the author gave a cover image
    duration_s = models.FloatField()
    width = models.PositiveIntegerField()  # as displayed (rotation applied)
    height = models.PositiveIntegerField()
    # [{"name", "width", "height", "bitrate_kbps"}], largest first; names in default_storage.
    renditions = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # transcoding runs started
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="like_unique")]
        indexes = [models.Index(fields=["note", "-created_at"])]


class Collection(models.Model):
    DEFAULT_NAME = _("Saved")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(_("name"), max_length=50)
    is_private = models.BooleanField(_("private"), default=False)
    is_default = models.BooleanField(default=False)  # the implicit "Saved" board
    notes_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner"], condition=Q(is_default=True), name="one_default_collection")
        ]

    def __str__(self):
        return self.name

    @property
    def title(self) -> str:
        """The name a page shows: the default board's stored name is in the language that was
        active when it was made, so until its owner renames it, it reads in the reader's."""
        if self.is_default and self.name in _default_names():
            return str(self.DEFAULT_NAME)
        return self.name


@functools.cache
def _default_names() -> frozenset[str]:
    """The default board's name in every language of the site."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(Collection.DEFAULT_NAME))
    return frozenset(names)


class Save(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saves")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="saves")
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="save_unique")]
        indexes = [models.Index(fields=["collection", "-created_at"])]


class Comment(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a root comment.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("comment"), max_length=1000)
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    is_removed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["note", "parent", "id"])]


class CommentLike(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="commentlike_unique")]


class NoteView(models.Model):
    """One row per viewer per note per day: the dedupe key and a ranking signal."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    viewer_key = models.CharField(max_length=64)  # "u:<id>" or "a:<hmac of the client address>"
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["note", "viewer_key", "day"], name="noteview_once_a_day")]
        indexes = [models.Index(fields=["viewer", "day"])]


class Reshare(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reshares")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reshares")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="reshare_unique")]
        indexes = [models.Index(fields=["user", "-created_at"])]
