"""`manage.py reindex_search` rebuilds documents and tag counts from the database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from posts.models import Note
from search.models import NoteDocument, ProductDocument, TagStat
from tests.conftest import requires_postgres
from tests.search.conftest import make_note, make_product


@pytest.mark.django_db
def test_reindex_rebuilds_everything_and_drops_what_is_gone(author, anon_client):
    public = [make_note(author, title=f"面膜 {i}", tags=["面膜"], index=False) for i in range(5)]
    hidden = make_note(author, title="面膜 hidden", tags=["面膜"])
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)  # its stale document must go
    TagStat.objects.create(name="ghost", notes_count=7)
    product = make_product(name="Sheet mask", index=False)
    unlisted = make_product(name="Old mask")
    unlisted.is_listed = False
    unlisted.save()

    out = StringIO()
    call_command("reindex_search", "--batch-size", "2", "--no-progress", stdout=out)

    assert set(NoteDocument.objects.values_list("pk", flat=True)) == {note.pk for note in public}
    assert set(ProductDocument.objects.values_list("pk", flat=True)) == {product.pk}
    assert dict(TagStat.objects.values_list("name", "notes_count")) == {"面膜": 5}
    assert "5 notes, 1 products, 1 tags, 2 stale documents dropped" in out.getvalue()
    assert len(anon_client.get("/api/v1/search/", {"q": "面膜"}).json()["results"]) == 5


@pytest.mark.django_db
def test_reindex_is_repeatable(author):
    make_note(author, title="露营", tags=["露营"], index=False)
    call_command("reindex_search", "--no-progress", stdout=StringIO())
    call_command("reindex_search", "--no-progress", stdout=StringIO())
    assert NoteDocument.objects.count() == 1
    assert TagStat.objects.get(name="露营").notes_count == 1


def _maintenance(table: str) -> tuple:
    """(last vacuum, last analyze) Postgres recorded for `table`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()


def _has_statistics(table: str, column: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stats WHERE tablename = %s AND attname = %s", [table, column])
        return cursor.fetchone() is not None


@requires_postgres
@pytest.mark.django_db
def test_reindex_leaves_planner_statistics_even_inside_a_transaction(author):
    """Inside a transaction (here the test's) VACUUM cannot run: the rebuild still analyzes."""
    make_note(author, title="露营", index=False)
    make_product(name="Tent", index=False)
    call_command("reindex_search", "--no-progress", stdout=StringIO())
    assert _has_statistics("search_notedocument", "tsv") and _has_statistics("search_notedocument", "hot")
    assert _has_statistics("search_productdocument", "hot")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_reindex_vacuums_and_analyzes_the_documents(author):
    make_note(author, title="露营", index=False)
    before = {table: _maintenance(table) for table in ("search_notedocument", "search_productdocument")}
    call_command("reindex_search", "--no-progress", stdout=StringIO())
    for table, (vacuumed, analyzed) in before.items():
        vacuumed_now, analyzed_now = _maintenance(table)
        assert vacuumed_now is not None and (vacuumed is None or vacuumed_now > vacuumed), table
        assert analyzed_now is not None and (analyzed is None or analyzed_now > analyzed), table


@pytest.mark.django_db
def test_beat_refreshes_the_prior_of_young_notes_from_live_counters(author):
    from search import tasks

    young = make_note(author, title="新笔记")
    old = make_note(author, title="旧笔记", days_old=30)
    before = dict(NoteDocument.objects.values_list("pk", "hot"))
    Note.objects.filter(pk__in=[young.pk, old.pk]).update(like_count=999)

    assert tasks.refresh_hot() == 1
    after = dict(NoteDocument.objects.values_list("pk", "hot"))
    assert after[young.pk] == pytest.approx(before[young.pk] + 3)  # log10(1000)
    assert after[old.pk] == before[old.pk]  # older notes wait for an edit or a rebuild
