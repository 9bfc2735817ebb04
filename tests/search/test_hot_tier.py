"""Candidates come from the hottest documents first, then the rest: the same ones as from all at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from search import selectors
from search.backends import estimated_rows, match
from search.models import NoteDocument
from tests.conftest import requires_postgres
from tests.search.conftest import make_note


@pytest.fixture
def notes_by_age(author):
    """Six notes, the newest (hottest) first; four of them about 露营."""
    titles = ["咖啡", "露营 一", "露营 二", "咖啡", "露营 三", "露营 四"]
    return [make_note(author, title=title, days_old=age) for age, title in enumerate(titles)]


def _candidates(monkeypatch, *, tier: int, candidates: int) -> dict[int, float]:
    monkeypatch.setattr(selectors, "HOT_TIER", tier)
    monkeypatch.setattr(selectors, "CANDIDATES", candidates)
    cache.clear()  # the floor of another tier size is cached
    return selectors._candidates(NoteDocument, ["露营"])


def test_the_floor_is_the_prior_of_the_last_document_of_the_tier(notes_by_age, monkeypatch):
    monkeypatch.setattr(selectors, "HOT_TIER", 3)
    assert selectors._hot_tier_floor(NoteDocument) == NoteDocument.objects.get(pk=notes_by_age[2].pk).hot


def test_no_floor_while_the_documents_fit_in_the_tier(notes_by_age, monkeypatch):
    monkeypatch.setattr(selectors, "HOT_TIER", len(notes_by_age) + 1)
    assert selectors._hot_tier_floor(NoteDocument) is None


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (2, [1, 2]),  # the hot tier (notes 0-2, the floor's own included) holds enough matches
        (3, [1, 2, 4]),  # it holds two: the rest give the next by prior
    ],
)
def test_tiers_find_the_hottest_matches_of_all_documents(notes_by_age, monkeypatch, candidates, expected):
    tiered = _candidates(monkeypatch, tier=3, candidates=candidates)
    assert selectors._hot_tier_floor(NoteDocument) is not None  # the documents were cut in two
    assert list(tiered) == [notes_by_age[i].pk for i in expected]
    assert tiered == _candidates(monkeypatch, tier=len(notes_by_age) + 1, candidates=candidates)


@requires_postgres  # elsewhere there are no estimates: always the tiers
def test_a_word_common_in_the_hot_tier_is_matched_over_all_documents_at_once(notes_by_age, monkeypatch):
    """Expected WALK_MATCHES times or more in the hot tier: walking the `hot` index beats the tiers."""
    monkeypatch.setattr(selectors, "HOT_TIER", 3)
    mode = selectors.match_modes(["露营"])[0]
    monkeypatch.setattr(selectors, "WALK_MATCHES", 10**6)
    assert selectors._tiers(NoteDocument, ["露营"], mode) != [Q()]
    monkeypatch.setattr(selectors, "WALK_MATCHES", 1)
    assert selectors._tiers(NoteDocument, ["露营"], mode) == [Q()]


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
def test_the_planner_is_asked_once_per_words_and_floor(notes_by_age, monkeypatch):
    """The estimate only picks a plan (never results): a repeated search does not plan again."""
    monkeypatch.setattr(selectors, "HOT_TIER", 3)
    mode = selectors.match_modes(["露营"])[0]

    def plans_run() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors._tiers(NoteDocument, ["露营"], mode)
        return sum(query["sql"].startswith("EXPLAIN") for query in queries.captured_queries)

    assert plans_run() == 1
    assert plans_run() == 0
    monkeypatch.setattr(selectors, "HOT_TIER", 2)
    cache.clear()  # the floor moves (to the second document's prior): a new entry
    assert plans_run() == 1
