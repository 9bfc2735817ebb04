"""Rebuild the search index from the database: `manage.py reindex_search [--batch-size N]`.

Notes and products are written in bulk batches (keyset over ids), then documents
the rebuild did not touch (their objects are gone or hidden) are dropped, tag
counts recounted, the hot tiers re-cut (search/tiers.py) and, on Postgres, the
document tables vacuumed and analyzed. Safe while the site runs: index tasks keep working meanwhile.
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from posts.models import Note
from search import indexing, tiers
from search.models import NoteDocument, ProductDocument
from search.segment import warm_up
from shop.models import Product

logger = logging.getLogger("search.reindex")


def _vacuum_analyze(*models) -> None:
    """VACUUM (ANALYZE) the tables on Postgres; only ANALYZE inside a transaction (VACUUM cannot).

    A rebuild rewrites every row, and autovacuum may come much later (or be off). Until
    then the planner has no word frequencies to choose the `hot` index or the GIN index
    by, nor the share of each word in the hot tier (search/selectors.py); the first
    readers would dirty every page setting hint bits; and reading the `hot` index
    could not skip the table (visibility map).
    """
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")


class Command(BaseCommand):
    help = "Rebuild the search index (notes, products, tag counts) with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs only)")

    def handle(self, *args, batch_size: int, no_progress: bool, **options):
        warm_up()
        started_at, started = timezone.now(), time.perf_counter()
        notes = self._index(
            "notes",
            Note.objects.public(),
            batch_size,
            no_progress,
            lambda ids: indexing.notes_index(note_ids=ids, count_tags=False),
        )
        products = self._index(
            "products",
            Product.objects.listed(),
            batch_size,
            no_progress,
            lambda ids: indexing.products_index(product_ids=ids),
        )
        dropped = indexing.drop_stale(model=NoteDocument, before=started_at)
        dropped += indexing.drop_stale(model=ProductDocument, before=started_at)
        tags = indexing.rebuild_tag_counts()
        floors = tiers.refresh_all()
        _vacuum_analyze(NoteDocument, ProductDocument)
        elapsed = time.perf_counter() - started
        summary = (
            f"search index rebuilt: {notes} notes, {products} products, {tags} tags, "
            f"{dropped} stale documents dropped, hot tier floors {floors} in {elapsed:.1f}s "
            f"({notes / max(elapsed, 1e-9):.0f} notes/s)"
        )
        logger.info(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _index(self, label: str, queryset, batch_size: int, no_progress: bool, index) -> int:
        done = 0
        with tqdm(total=queryset.count(), desc=label, unit=label[:-1], disable=no_progress) as bar:
            for ids in indexing.id_batches(queryset, batch_size):
                done += index(ids)
                bar.update(len(ids))
        return done
