"""Building search documents: in batches, for the index tasks and `reindex_search`.

A document is written while its object is searchable and dropped once it is not
(hidden, deleted, unlisted, author suspended). Tag counts (TagStat) move with the
documents: each document remembers the tags it counts.
"""

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from posts.models import Note, TaggedNote
from search import ranking, tiers
from search.models import IndexBacklog, NoteDocument, ProductDocument, TagStat
from search.segment import index_text
from shop.models import Product

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
_NOTE_FIELDS = ("id", "title", "body", "place_name", "city", "like_count", "save_count", "comment_count", "created_at")
_PRODUCT_FIELDS = (
    "id",
    "name",
    "description",
    "sold_count",
    "notes_count",
    "brand__username",
    "brand__display_name",
    "category__name",
)


def _tags_by_note(note_ids: Iterable[int]) -> dict[int, list[str]]:
    tags = defaultdict(list)
    rows = TaggedNote.objects.filter(content_object_id__in=note_ids).values_list("content_object_id", "tag__name")
    for note_id, name in rows.order_by("id"):
        tags[note_id].append(name)
    return tags


def note_document(row: dict, tags: list[str]) -> NoteDocument:
    """The document of one note (a dict of _NOTE_FIELDS); the title counts twice."""
    text = index_text(row["title"], row["title"], row["body"], " ".join(tags), row["place_name"], row["city"])
    hot = ranking.note_hot(
        likes=row["like_count"], saves=row["save_count"], comments=row["comment_count"], created_at=row["created_at"]
    )
    return NoteDocument(note_id=row["id"], tsv=text, hot=hot, created_at=row["created_at"], tags=tags)


def product_document(row: dict) -> ProductDocument:
    brand = f"{row['brand__display_name']} {row['brand__username']}"
    text = index_text(row["name"], row["name"], row["description"], brand, row["category__name"] or "")
    hot = ranking.product_hot(sold=row["sold_count"], notes=row["notes_count"])
    return ProductDocument(product_id=row["id"], tsv=text, hot=hot)


def _upsert(model, documents: list, *, key: str, fields: list[str]) -> None:
    model.objects.bulk_create(documents, update_conflicts=True, unique_fields=[key], update_fields=fields)


# Postgres: one statement over arrays. 4x faster than bulk_create's VALUES list at
# 1000 rows (Django compiling 6000 placeholders costs more than the database's work).
_NOTE_UPSERT_SQL = """
INSERT INTO search_notedocument (note_id, tsv, hot, in_hot_tier, created_at, tags, indexed_at)
SELECT id, to_tsvector('simple', txt), hot, hot_tier, created, tags::jsonb, %s
FROM unnest(%s::bigint[], %s::text[], %s::float8[], %s::boolean[], %s::timestamptz[], %s::text[])
    AS t(id, txt, hot, hot_tier, created, tags)
ON CONFLICT (note_id) DO UPDATE SET tsv = EXCLUDED.tsv, hot = EXCLUDED.hot, in_hot_tier = EXCLUDED.in_hot_tier,
    created_at = EXCLUDED.created_at, tags = EXCLUDED.tags, indexed_at = EXCLUDED.indexed_at
"""


def _note_upsert(documents: list[NoteDocument]) -> None:
    """Write the documents, flagged for the hot tier (in the caller's transaction)."""
    if not documents:
        return
    tiers.flag(NoteDocument, documents)
    if connection.vendor != "postgresql":
        fields = ["tsv", "hot", "in_hot_tier", "created_at", "tags", "indexed_at"]
        _upsert(NoteDocument, documents, key="note", fields=fields)
        return
    # indexed_at from this process's clock, as `drop_stale` compares with (not the
    # database's now(), which is the start of the transaction and of another clock).
    columns = [
        timezone.now(),
        [doc.note_id for doc in documents],
        [doc.tsv for doc in documents],
        [doc.hot for doc in documents],
        [doc.in_hot_tier for doc in documents],
        [doc.created_at for doc in documents],
        [json.dumps(doc.tags, ensure_ascii=False) for doc in documents],
    ]
    with connection.cursor() as cursor:
        cursor.execute(_NOTE_UPSERT_SQL, columns)


def _tag_counts_shift(delta: Counter) -> None:
    """Add `delta[name]` to each tag's count: one UPDATE per distinct delta."""
    delta = Counter({name: change for name, change in delta.items() if change})
    if not delta:
        return
    TagStat.objects.bulk_create([TagStat(name=name) for name in sorted(delta)], ignore_conflicts=True)
    by_change = defaultdict(list)
    for name, change in delta.items():
        by_change[change].append(name)
    for change, names in by_change.items():
        TagStat.objects.filter(name__in=names).update(notes_count=F("notes_count") + change)


@contextmanager
def _backlog_cleared(kind: str, object_ids: Iterable[int]):
    """Delete these objects' backlog entries once the indexing in the block has succeeded.

    Only the entries there before the block began: their writes had committed, so the
    block saw them. A write committing meanwhile keeps its entry for its own indexing.
    """
    entries = list(IndexBacklog.objects.filter(kind=kind, object_id__in=object_ids).values_list("pk", flat=True))
    yield
    if entries:
        IndexBacklog.objects.filter(pk__in=entries).delete()


def notes_index(*, note_ids: list[int], count_tags: bool = True) -> int:
    """Bring these notes' documents in line with the notes; returns how many are searchable.

    With `count_tags` the notes' rows are locked (in id order) for the transaction, so
    two tasks indexing the same note cannot both count its tags.
    """
    with transaction.atomic(), _backlog_cleared(IndexBacklog.Kind.NOTE, note_ids):
        if count_tags:
            list(Note.objects.select_for_update().filter(pk__in=note_ids).order_by("pk").values_list("pk"))
        old = dict(NoteDocument.objects.filter(pk__in=note_ids).values_list("note_id", "tags")) if count_tags else {}
        rows = list(Note.objects.public().filter(pk__in=note_ids).values(*_NOTE_FIELDS))
        tags = _tags_by_note([row["id"] for row in rows])
        documents = [note_document(row, tags.get(row["id"], [])) for row in rows]
        _note_upsert(documents)
        gone = set(note_ids) - {row["id"] for row in rows}
        if gone:
            NoteDocument.objects.filter(pk__in=gone).delete()
        if count_tags:
            delta = Counter(name for document in documents for name in document.tags)
            delta.subtract(name for names in old.values() for name in names)
            _tag_counts_shift(delta)
    return len(documents)


def products_index(*, product_ids: list[int]) -> int:
    """Bring these products' documents in line with the products; returns how many are listed."""
    with transaction.atomic(), _backlog_cleared(IndexBacklog.Kind.PRODUCT, product_ids):
        rows = list(Product.objects.listed().filter(pk__in=product_ids).values(*_PRODUCT_FIELDS))
        documents = [product_document(row) for row in rows]
        tiers.flag(ProductDocument, documents)
        _upsert(ProductDocument, documents, key="product", fields=["tsv", "hot", "in_hot_tier", "indexed_at"])
        gone = set(product_ids) - {row["id"] for row in rows}
        if gone:
            ProductDocument.objects.filter(pk__in=gone).delete()
    return len(documents)


def id_batches(queryset, batch_size: int) -> Iterator[list[int]]:
    """Primary keys of `queryset` in ascending batches, by keyset (no OFFSET)."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def user_content_index(*, user_id: int) -> int:
    """Re-index everything a user wrote or sells (after a suspension, a rename...)."""
    done = 0
    # Batch by batch, not one long transaction: the user's entry goes once all are done.
    with _backlog_cleared(IndexBacklog.Kind.USER, [user_id]):
        for ids in id_batches(Note.objects.filter(author_id=user_id), BATCH_SIZE):
            done += notes_index(note_ids=ids)
        for ids in id_batches(Product.objects.filter(brand_id=user_id), BATCH_SIZE):
            done += products_index(product_ids=ids)
    return done


BACKLOG_CATCH_UP_MAX = 5000  # backlog entries one sweep takes: a run stays bounded after an outage
_BACKLOG_INDEXERS = {  # kind -> index a batch of ids
    IndexBacklog.Kind.NOTE: lambda ids: notes_index(note_ids=ids),
    IndexBacklog.Kind.PRODUCT: lambda ids: products_index(product_ids=ids),
    IndexBacklog.Kind.USER: lambda ids: [user_content_index(user_id=user_id) for user_id in ids],
}


def backlog_catch_up(*, grace: timedelta = timedelta(minutes=2)) -> dict[str, int]:
    """Redo the indexing of writes older than `grace` that still have a backlog entry.

    Their indexing was lost (IndexBacklog); younger entries may still be in a queue.
    Indexing is idempotent, so racing a late task is harmless. Returns objects per kind.
    """
    oldest = IndexBacklog.objects.filter(created_at__lt=timezone.now() - grace).order_by("pk")
    ids = defaultdict(set)
    for kind, object_id in oldest.values_list("kind", "object_id")[:BACKLOG_CATCH_UP_MAX]:
        ids[kind].add(object_id)
    for kind, object_ids in ids.items():
        ordered = sorted(object_ids)
        for start in range(0, len(ordered), BATCH_SIZE):
            _BACKLOG_INDEXERS[kind](ordered[start : start + BATCH_SIZE])
    redone = {kind: len(object_ids) for kind, object_ids in ids.items()}
    if redone:
        logger.info("search catch-up re-indexed %s", redone)
    return redone


HOT_REFRESH_MAX = 50_000  # bounds one run whatever the posting rate


def note_hot_refresh(*, since) -> int:
    """Recompute the `hot` prior of (at most HOT_REFRESH_MAX) notes created since `since`.

    Engagement moves fastest on young notes; older ones are refreshed by any edit and
    by `reindex_search`.
    """
    recent = NoteDocument.objects.filter(created_at__gte=since).order_by("-created_at")
    recent_ids = list(recent.values_list("pk", flat=True)[:HOT_REFRESH_MAX])
    for start in range(0, len(recent_ids), BATCH_SIZE):
        ids = recent_ids[start : start + BATCH_SIZE]
        rows = Note.objects.filter(pk__in=ids).values_list("id", "like_count", "save_count", "comment_count")
        created = dict(NoteDocument.objects.filter(pk__in=ids).values_list("note_id", "created_at"))
        documents = [
            NoteDocument(
                note_id=pk, hot=ranking.note_hot(likes=likes, saves=saves, comments=comments, created_at=created[pk])
            )
            for pk, likes, saves, comments in rows
        ]
        with transaction.atomic():
            tiers.flag(NoteDocument, documents)
            NoteDocument.objects.bulk_update(documents, ["hot", "in_hot_tier"])
    return len(recent_ids)


def rebuild_tag_counts() -> int:
    """Recount every tag from the searchable notes (the documents' `tags`' source)."""
    counts = (
        TaggedNote.objects.filter(content_object__in=Note.objects.public())
        .values_list("tag__name")
        .annotate(n=Count("id"))
    )
    stats = [TagStat(name=name, notes_count=n) for name, n in counts]
    with transaction.atomic():
        TagStat.objects.all().delete()
        TagStat.objects.bulk_create(stats, batch_size=5000)
    return len(stats)


def drop_stale(*, model, before) -> int:
    """Delete documents a full rebuild did not touch: their objects are gone or hidden."""
    deleted, _ = model.objects.filter(indexed_at__lt=before).delete()
    return deleted
