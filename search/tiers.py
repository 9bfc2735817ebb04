"""The hot tier: the HOT_TIER hottest documents of a table, flagged, searched first.

A word's best matches by prior are nearly always among the hottest documents, so
search looks there first (search/selectors.py). The tier is a flag, `in_hot_tier`,
with a partial GIN index of its own (migration 0004): finding a word in it reads a
posting list of a few hundred entries instead of intersecting the word's whole
posting list (tens of thousands at 1M notes) with 30,000 entries of the `hot` index,
a 5-15 ms bitmap that this replaces with under 1 ms.

The tier is exact, so searching it first finds the same candidates as searching all:
a document is flagged if and only if `hot >= floor`, the table's HotTier floor.
Every write of documents sets their flags under a share lock of the floor's row
(`flag`), and `refresh` moves the floor and re-flags under an exclusive lock. Between
refreshes new documents join the tier (new notes are the hottest), so it grows a
little past HOT_TIER; beat's `search.refresh_hot` trims it back.
"""

import logging

from django.db import connection, transaction

from search.models import HotTier, NoteDocument, ProductDocument

logger = logging.getLogger(__name__)

CANDIDATES = 200  # relevance ranks the best 200 matches by prior: 10 pages of 20
# A word in 1 document of 150 fills CANDIDATES from the tier alone. Reading a word's
# matches in it costs in proportion to their number, not to the tier's size.
HOT_TIER = 150 * CANDIDATES


def _label(model) -> str:
    return model._meta.label_lower


def _locked_floor(model) -> float | None:
    """The table's floor, share-locked until the transaction ends: a refresh waits for us."""
    if connection.vendor != "postgresql":  # SQLite runs one write transaction at a time
        return HotTier.objects.filter(documents=_label(model)).values_list("floor", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT floor FROM search_hottier WHERE documents = %s FOR SHARE", [_label(model)])
        row = cursor.fetchone()
    return row[0] if row else None


def flag(model, documents: list) -> None:
    """Set `in_hot_tier` on documents about to be written, in the writing transaction."""
    assert connection.in_atomic_block, "the floor's lock must last until the documents are written"
    floor = _locked_floor(model)
    for document in documents:
        document.in_hot_tier = floor is not None and document.hot >= floor


def _floor_of_top(model) -> float | None:
    """The prior of the HOT_TIER-th hottest document (read from the `hot` index); None if fewer."""
    return model.objects.order_by("-hot").values_list("hot", flat=True)[HOT_TIER - 1 : HOT_TIER].first()


def refresh(model) -> float | None:
    """Move the floor to the HOT_TIER-th hottest document and re-flag; returns the floor."""
    HotTier.objects.get_or_create(documents=_label(model))
    with transaction.atomic():
        tier = HotTier.objects.select_for_update().get(documents=_label(model))
        old, new = tier.floor, _floor_of_top(model)
        documents = model.objects.all()
        if new is None:
            left = documents.filter(in_hot_tier=True).update(in_hot_tier=False)
            joined = 0
        else:
            joined = documents.filter(hot__gte=new, in_hot_tier=False).update(in_hot_tier=True)
            leaving = documents.filter(in_hot_tier=True, hot__lt=new)
            if old is not None:  # flagged documents lie at old or above: a short range of the `hot` index
                leaving = leaving.filter(hot__gte=old)
            left = leaving.update(in_hot_tier=False)
        tier.floor = new
        tier.save()
    logger.info("%s hot tier: floor %s -> %s, %d joined, %d left", _label(model), old, new, joined, left)
    return new


def refresh_all() -> dict[str, float | None]:
    """Re-cut every document table's tier: {model name: floor}."""
    return {model._meta.model_name: refresh(model) for model in (NoteDocument, ProductDocument)}
