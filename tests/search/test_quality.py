"""Search quality, measured: recall@10 over a labelled set of Chinese, English and mixed queries.

data/labelled_queries.json holds the notes and, per query, the notes it must find.
The notes get distinct engagement so ranking has something to blend; recall counts
the expected notes among the first 10 results of the API.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

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


def test_recall_at_10(labelled_notes, anon_client):
    """On the configured database: Postgres full-text search, or the SQLite LIKE fallback."""
    backend = "Postgres" if settings.IS_POSTGRES else "SQLite LIKE fallback"
    recall, misses = _recall_at_10(anon_client, labelled_notes)
    print(f"\nrecall@10 ({backend}): {recall:.3f} over {len(LABELLED['queries'])} queries; misses: {misses}")
    assert recall >= MIN_RECALL, misses
