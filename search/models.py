"""The search index: one document per searchable note / product, tag counts, query logs.

A document exists only while its object may be found (a published, unhidden note by
an account in good standing; a listed product): services/tasks add and drop them
after every write, and queries still filter on the live rows (search/selectors.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SegmentedTextField(models.TextField):
    """Segmented text (search/segment.py) kept for matching.

    On Postgres the column is a `tsvector` built on write by the database
    (`to_tsvector('simple', ...)`: the words are already cut, so no stemming config),
    with a GIN index (migration 0002). Elsewhere (the embedded SQLite default) it is
    the plain space-separated text, matched by token prefix with LIKE.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "to_tsvector('simple', %s)" if connection.vendor == "postgresql" else "%s"

    def get_prep_value(self, value):
        # Spaces around every token let the LIKE fallback match whole tokens (" lip ")
        # and token starts (" lip").
        value = super().get_prep_value(value)
        return f" {value.strip()} " if value else value


class NoteDocument(models.Model):
    # No database constraint and DO_NOTHING: a hard-deleted note leaves its document
    # for the index task, which then drops it and decrements its tags' counts.
    note = models.OneToOneField(
        "posts.Note",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_doc",
    )
    tsv = SegmentedTextField()
    # Static prior for picking candidates: log engagement plus recency (search/ranking.py).
    hot = models.FloatField(default=0)
    # hot >= its HotTier floor: searched first, through a partial GIN index (search/tiers.py).
    in_hot_tier = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # The tag names this document counts in TagStat, so a re-index adjusts exactly those.
    tags = models.JSONField(default=list, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["-hot"], name="search_note_hot"),
            models.Index(fields=["-created_at"], name="search_note_new"),
        ]

    def __str__(self):
        return f"note {self.note_id}"


class ProductDocument(models.Model):
    product = models.OneToOneField(
        "shop.Product",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_doc",
    )
    tsv = SegmentedTextField()
    hot = models.FloatField(default=0)
    in_hot_tier = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["-hot"], name="search_product_hot")]

    def __str__(self):
        return f"product {self.product_id}"


class HotTier(models.Model):
    """Where the hot tier of a document table begins (search/tiers.py).

    Its documents with `hot >= floor` carry `in_hot_tier`, and only they: every write of
    a document sets the flag under a share lock of this row, and moving the floor
    re-flags under an exclusive one. No floor: the documents are too few to tier.
    """

    documents = models.CharField(max_length=50, primary_key=True)  # the model's label_lower
    floor = models.FloatField(null=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.documents} >= {self.floor}"


class IndexBacklog(models.Model):
    """An object a write changed whose documents are not rebuilt yet.

    Written in the write's own transaction (search/services.py) and deleted by the
    indexing that follows it, in the same transaction as the documents. An entry still
    here minutes later means that indexing was lost: a worker killed after taking its
    task off Redis, or a process that died between its commit and its inline indexing.
    Beat's catch-up sweep (`search.index_backlog_catch_up`) redoes those.
    """

    class Kind(models.TextChoices):
        NOTE = "note"
        PRODUCT = "product"
        USER = "user"  # everything the user wrote or sells

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="search_backlog_object")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class TagStat(models.Model):
    """How many searchable notes carry a tag: ranks tag results and suggestions."""

    name = models.CharField(_("tag"), max_length=100, unique=True)
    notes_count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-notes_count"], name="search_tag_popular")]

    def __str__(self):
        return self.name


class QueryCount(models.Model):
    """Per normalized query per day, how many distinct accounts old enough to count
    searched it (search/querylog.py): trending where no Redis is configured, and the
    staff's view of what people search."""

    day = models.DateField()
    # db_index adds a pattern-ops index on Postgres, so prefix lookups are indexed.
    query = models.CharField(max_length=100, db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="querycount_unique_day_query")]
        indexes = [models.Index(fields=["day", "-count"], name="search_query_trending")]

    def __str__(self):
        return f"{self.day} {self.query}: {self.count}"


class QueryAccount(models.Model):
    """One signed-in account searched this (normalized) query, last on `day`.

    Suggestions to others count distinct accounts, never searches, so no one person's
    queries reach anyone else (QueryReach).
    """

    query = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["query", "user"], name="queryaccount_unique")]

    def __str__(self):
        return f"{self.query} ({self.user_id})"


class QueryReach(models.Model):
    """How many distinct accounts searched a query (kept with QueryAccount's rows).

    A query is suggested to others only from SEARCH_PUBLIC_QUERY_ACCOUNTS accounts on.
    """

    query = models.CharField(max_length=100, primary_key=True)
    accounts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-accounts"], name="search_queryreach_accounts")]

    def __str__(self):
        return f"{self.query}: {self.accounts}"


class BannedQuery(models.Model):
    """A query staff removed: never trending, never suggested, whatever its counts."""

    query = models.CharField(_("query"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("banned search query")
        verbose_name_plural = _("banned search queries")

    def __str__(self):
        return self.query

    def save(self, *args, **kwargs):
        self.query = " ".join(self.query.lower().split())[:100]  # as search/querylog.py normalizes
        super().save(*args, **kwargs)


class RecentSearch(models.Model):
    """A user's recent queries where no Redis is configured (Redis keeps a list otherwise)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=100)
    searched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="recentsearch_unique")]
        indexes = [models.Index(fields=["user", "-searched_at"], name="search_recent_user")]

    def __str__(self):
        return self.query
