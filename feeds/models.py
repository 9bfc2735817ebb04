from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from taggit.models import Tag

KEYWORD_MAX_LENGTH = 30
# Names of the default channels (migration 0002), listed so the catalog translates them.
DEFAULT_CHANNEL_NAMES = (
    pgettext_lazy("explore channel", "Recommended"),
    pgettext_lazy("explore channel", "Skincare"),
    pgettext_lazy("explore channel", "Makeup"),
    pgettext_lazy("explore channel", "Fashion"),
    pgettext_lazy("explore channel", "Food"),
    pgettext_lazy("explore channel", "Travel"),
    pgettext_lazy("explore channel", "Fitness"),
    pgettext_lazy("explore channel", "Home"),
    pgettext_lazy("explore channel", "Tech"),
)


class Channel(models.Model):
    """An Explore tab: a staff-edited group of tags (no tags = everything, "recommended")."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="channels", verbose_name=_("tags"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when the catalog knows it (the defaults), else as staff wrote it."""
        return pgettext("explore channel", self.name)


class NotInterested(models.Model):
    """ "Not interested" on a card: hides that note and demotes its author and tags for the user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="not_interested")
    note = models.ForeignKey("posts.Note", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="notinterested_unique")]


class MutedKeyword(models.Model):
    """Notes whose title, body or tags contain the keyword never show in the user's feeds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_keywords")
    keyword = models.CharField(_("keyword"), max_length=KEYWORD_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["keyword"]
        constraints = [models.UniqueConstraint(fields=["user", "keyword"], name="mutedkeyword_unique")]

    def __str__(self):
        return self.keyword


class TopicFollow(models.Model):
    """A followed hashtag: counts as interest in Explore."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="topicfollow_unique")]


class RankedItem(models.Model):
    """The Explore ranking store where no Redis is configured (the embedded default).

    One row per (list, note); `list_key` names a list ("u:42", "trending", "trending:food").
    A refresh replaces a list's rows in one transaction.
    """

    list_key = models.CharField(max_length=60)
    note_id = models.BigIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list_key", "note_id"], name="rankeditem_unique")]
        indexes = [models.Index(fields=["list_key", "-score"], name="rankeditem_page")]
