"""The hot tier (search/tiers.py): flagged exactly when `hot >= floor`, and searched first
with the same candidates as searching all documents at once."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from posts.models import Note
from search import indexing, selectors, tasks, tiers
from search.backends import estimated_rows, match
from search.models import HotTier, NoteDocument
from tests.conftest import requires_postgres
from tests.search.conftest import make_note


@pytest.fixture
def notes_by_age(author):
    """Six notes, the newest (hottest) first; four of them about 露营."""
    titles = ["咖啡", "露营 一", "露营 二", "咖啡", "露营 三", "露营 四"]
    return [make_note(author, title=title, days_old=age) for age, title in enumerate(titles)]


def _cut(monkeypatch, size: int) -> float | None:
    monkeypatch.setattr(tiers, "HOT_TIER", size)
    return tiers.refresh(NoteDocument)


def _flagged() -> set[int]:
    return set(NoteDocument.objects.filter(in_hot_tier=True).values_list("pk", flat=True))


def _pks(notes) -> set[int]:
    return {note.pk for note in notes}


def test_refresh_flags_the_hottest_documents_and_keeps_the_floor(notes_by_age, monkeypatch):
    floor = _cut(monkeypatch, 3)
    assert floor == NoteDocument.objects.get(pk=notes_by_age[2].pk).hot
    assert HotTier.objects.get(documents="search.notedocument").floor == floor
    assert _flagged() == _pks(notes_by_age[:3])


def test_a_higher_floor_unflags_what_fell_below_it(notes_by_age, monkeypatch):
    _cut(monkeypatch, 4)
    _cut(monkeypatch, 2)
    assert _flagged() == _pks(notes_by_age[:2])
    _cut(monkeypatch, 5)  # a lower floor (documents were dropped, say) flags down to it
    assert _flagged() == _pks(notes_by_age[:5])


def test_no_floor_while_the_documents_fit_in_the_tier(notes_by_age, monkeypatch):
    _cut(monkeypatch, 3)
    assert _cut(monkeypatch, len(notes_by_age) + 1) is None
    assert _flagged() == set()


def test_writes_flag_documents_by_the_floor(notes_by_age, author, monkeypatch):
    _cut(monkeypatch, 3)
    newest = make_note(author, title="新的")  # the hottest of all: it joins the tier at once
    oldest = notes_by_age[-1]
    Note.objects.filter(pk=oldest.pk).update(like_count=10**9)  # now hotter than the floor
    indexing.notes_index(note_ids=[oldest.pk])
    assert _flagged() == _pks(notes_by_age[:3]) | {newest.pk, oldest.pk}


def _candidates(monkeypatch, *, tier: int, candidates: int) -> dict[int, float]:
    _cut(monkeypatch, tier)
    monkeypatch.setattr(selectors, "CANDIDATES", candidates)
    return selectors._candidates(NoteDocument, ["露营"])


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (2, [1, 2]),  # the hot tier (notes 0-2) holds enough matches
        (3, [1, 2, 4]),  # it holds two: the rest give the next by prior
    ],
)
def test_tiers_find_the_hottest_matches_of_all_documents(notes_by_age, monkeypatch, candidates, expected):
    tiered = _candidates(monkeypatch, tier=3, candidates=candidates)
    assert _flagged()  # the documents were cut in two
    assert list(tiered) == [notes_by_age[i].pk for i in expected]
    assert tiered == _candidates(monkeypatch, tier=len(notes_by_age) + 1, candidates=candidates)


@requires_postgres  # elsewhere there are no estimates: always the tiers
def test_a_word_common_in_the_hot_tier_is_matched_over_all_documents_at_once(notes_by_age, monkeypatch):
    """Expected WALK_MATCHES times or more in the hot tier: walking the `hot` index beats the tiers."""
    _cut(monkeypatch, 3)
    mode = selectors.match_modes(["露营"])[0]
    monkeypatch.setattr(selectors, "WALK_MATCHES", 10**6)
    assert selectors._tiers(NoteDocument, ["露营"], mode) == [True, False]
    monkeypatch.setattr(selectors, "WALK_MATCHES", 0)
    assert selectors._tiers(NoteDocument, ["露营"], mode) == [None]


@requires_postgres
def test_the_planner_estimates_how_many_documents_hold_a_word(author):
    for i in range(40):
        make_note(author, title="露营" if i % 4 else "咖啡")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_notedocument")
    common = estimated_rows(match(NoteDocument.objects.all(), ["露营"]))
    rare = estimated_rows(match(NoteDocument.objects.all(), ["咖啡"]))
    assert 20 <= common <= 40 and 5 <= rare <= 15


@requires_postgres
def test_the_planner_is_asked_once_per_words_for_a_while(notes_by_age, monkeypatch):
    """The estimate only picks a plan (never results): a repeated search does not plan again."""
    mode = selectors.match_modes(["露营"])[0]

    def plans_run() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors._tiers(NoteDocument, ["露营"], mode)
        return sum(query["sql"].startswith("EXPLAIN") for query in queries.captured_queries)

    monkeypatch.setattr(selectors, "ESTIMATE_SECONDS", 10**9)  # one period from now on
    assert plans_run() == 1
    assert plans_run() == 0
    monkeypatch.setattr(selectors, "ESTIMATE_SECONDS", 10**-9)  # a new period at every search
    assert plans_run() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_refresh_waits_for_documents_being_written(author, monkeypatch):
    """A writer flags under a share lock of the floor: the floor cannot move under it."""
    notes = [make_note(author, title="露营", days_old=age) for age in range(3)]
    _cut(monkeypatch, 2)
    refresh_failed = []

    def refresh_meanwhile():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            tiers.refresh(NoteDocument)
        except OperationalError as exc:
            refresh_failed.append(exc)
        finally:
            connections["default"].close()

    with transaction.atomic():
        tiers.flag(NoteDocument, list(NoteDocument.objects.filter(pk=notes[0].pk)))
        refresher = threading.Thread(target=refresh_meanwhile)
        refresher.start()
        refresher.join(timeout=30)
    assert refresh_failed and "lock timeout" in str(refresh_failed[0])
    assert tiers.refresh(NoteDocument) is not None  # once the writer is done it goes through


def test_beat_and_reindex_re_cut_the_tiers(notes_by_age, monkeypatch):
    monkeypatch.setattr(tiers, "HOT_TIER", 2)
    tasks.refresh_hot()
    assert _flagged() == _pks(notes_by_age[:2])
    monkeypatch.setattr(tiers, "HOT_TIER", 4)
    call_command("reindex_search", "--no-progress", stdout=io.StringIO())
    assert _flagged() == _pks(notes_by_age[:4])
    assert HotTier.objects.get(documents="search.productdocument").floor is None  # no products: no tier
