"""Search quality, measured: recall@10 over a labelled set of Chinese, English and mixed queries.

data/labelled_queries.json holds the notes and, per query, the notes it must find.
The notes get distinct engagement so ranking has something to blend; recall counts
the expected notes among the first 10 results of the API.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import requires_postgres
from tests.factories import UserFactory
from tests.search.conftest import make_note

LABELLED = json.loads((Path(__file__).parent / "data" / "labelled_queries.json").read_text())
MIN_RECALL = 0.9


@pytest.fixture
def labelled_notes(db):
    author = UserFactory()
    notes = {}
    for position, spec in enumerate(LABELLED["notes"]):
        note = make_note(
            author,
            title=spec["title"],
            body=spec["body"],
            tags=spec.get("tags", ()),
            place_name=spec.get("place", ""),
            like_count=(position * 7) % 50,
        )
        notes[spec["key"]] = note.pk
    return notes


def _recall_at_10(client, notes) -> tuple[float, list[str]]:
    recalls, misses = [], []
    for case in LABELLED["queries"]:
        response = client.get("/api/v1/search/", {"q": case["q"], "type": "notes", "page_size": 10})
        assert response.status_code == 200, response.content
        found = {note["id"] for note in response.json()["results"]}
        expected = {notes[key] for key in case["expect"]}
        recalls.append(len(found & expected) / len(expected))
        if not expected <= found:
            misses.append(f"{case['q']}: missing {sorted(k for k in case['expect'] if notes[k] not in found)}")
    return sum(recalls) / len(recalls), misses


@requires_postgres
def test_recall_at_10_on_postgres(labelled_notes, anon_client):
    recall, misses = _recall_at_10(anon_client, labelled_notes)
    print(f"\nrecall@10 (Postgres): {recall:.3f} over {len(LABELLED['queries'])} queries; misses: {misses}")
    assert recall >= MIN_RECALL, misses


@pytest.mark.skipif(settings.IS_POSTGRES, reason="the embedded SQLite path (run the suite without DATABASE_URL)")
def test_recall_at_10_on_sqlite(labelled_notes, anon_client):
    recall, misses = _recall_at_10(anon_client, labelled_notes)
    print(f"\nrecall@10 (LIKE fallback): {recall:.3f}; misses: {misses}")
    assert recall >= MIN_RECALL, misses
