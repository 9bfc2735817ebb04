"""Demo notes: topic-true titles and bodies, #tags, places, pooled images, tagged products."""

import numpy as np
from taggit.models import Tag

from demo import text, vocab
from demo.bulk import Timer, insert, next_id, sync_sequence
from demo.world import SECOND, World, heavy_tailed_counts, pick_rows, weighted_pick
from posts.models import Note, NoteImage, Place, TaggedNote
from posts.places import places_attach
from posts.text import tag_normalize

HISTORY_DAYS = 180
IMAGE_COUNT_WEIGHTS = np.array([35, 20, 15, 10, 6, 5, 3, 3, 3], float)  # 1..9 images per note
BRAND_NOTE_TAGS_PRODUCT = 0.8
NOTE_TAGS_PRODUCT = 0.15
JITTER_DEGREES = 0.03  # a city's places lie about 3 km around its centre
PLACE_JITTER_DEGREES = 0.0008  # a note is taken within about 100 m of its place


def seed_notes(world: World, count: int) -> None:
    if count == 0:
        return
    rng = world.rng("notes")
    with Timer(world.log, "notes") as timer:
        _draw_notes(world, rng, count)
        columns, tags = _note_columns(world, rng)
        timer.rows = insert(Note, columns, log=world.log, desc="notes")
        sync_sequence(Note)
    with Timer(world.log, "note tags") as timer:
        timer.rows = _insert_tags(world, tags)
    with Timer(world.log, "note images") as timer:
        timer.rows = _insert_images(world, rng, columns["title"])
    with Timer(world.log, "note places") as timer:
        ids = (int(world.note_ids[0]), int(world.note_ids[-1]))  # contiguous: a range, not a list
        timer.rows = places_attach(note_model=Note, place_model=Place, notes=Note.objects.filter(pk__range=ids))
    with Timer(world.log, "note products") as timer:
        timer.rows = _insert_products(world, rng)


def _draw_notes(world: World, rng, count: int) -> None:
    """Who writes what, when, and how likeable it is: arrays the later stages use."""
    activity = np.sqrt(world.popularity) * rng.lognormal(0.0, 1.0, world.n_users)
    activity[world.is_brand] *= 2.0
    first = next_id(Note)
    world.note_ids = np.arange(first, first + count, dtype=np.int64)
    world.note_author = weighted_pick(rng, activity, count)
    world.note_topic = pick_rows(rng, world.interests, world.note_author)
    age = HISTORY_DAYS * 86400 * rng.random(count) ** 1.5  # more notes lately
    world.note_created = world.now - age.astype(np.int64) * SECOND
    author_reach = 1.0 + 10.0 * np.sqrt(world.popularity[world.note_author] / world.popularity.max())
    world.note_appeal = rng.lognormal(0.0, 1.0, count) * author_reach


def _note_columns(world: World, rng) -> tuple[dict, list[list[str]]]:
    n = world.n_notes
    zh = np.where(rng.random(n) < 0.9, world.speaks_zh[world.note_author], ~world.speaks_zh[world.note_author])
    place_share = np.array([topic.place_share for topic in vocab.TOPICS])[world.note_topic]
    has_place = rng.random(n) < place_share
    city_index = weighted_pick(rng, np.array([city.weight for city in vocab.CITIES]), n)
    draws = rng.integers(0, 1_000_000, (n, 14)).tolist()
    titles, bodies, places, cities, tags = [], [], [], [], []
    for i in range(n):
        topic = vocab.TOPICS[world.note_topic[i]]
        city = vocab.CITIES[city_index[i]] if has_place[i] else None
        place = city.places[draws[i][13] % len(city.places)] if city else ""
        note_tags = text.note_tags(topic, bool(zh[i]), draws[i][9:13], city)
        titles.append(text.title(topic, bool(zh[i]), draws[i][0:4], city))
        bodies.append(text.body(topic, bool(zh[i]), draws[i][4:9], note_tags, place))
        places.append(place)
        cities.append(city.zh if city else "")
        tags.append(note_tags)
    centre = np.array([[city.lat, city.lng] for city in vocab.CITIES])[city_index]
    spot = _place_spots(world)
    spots = np.array([spot.get((city_index[i], places[i]), (0.0, 0.0)) for i in range(n)])
    jitter = rng.normal(0.0, PLACE_JITTER_DEGREES, (n, 2))
    coords = np.where(has_place[:, None], centre + spots + jitter, np.nan)
    columns = {
        "id": world.note_ids,
        "author_id": world.user_ids[world.note_author],
        "title": titles,
        "body": bodies,
        "status": [Note.Status.PUBLISHED.value] * n,
        "is_hidden": np.zeros(n, bool),
        "lat": coords[:, 0],
        "lng": coords[:, 1],
        "place_name": places,
        "city": cities,
        "created_at": world.note_created,
        "updated_at": world.note_created,
        "published_at": world.note_created,
    }
    return columns, tags


def _place_spots(world: World) -> dict[tuple[int, str], tuple[float, float]]:
    """Where each city's places lie from its centre (degrees): its notes gather there,
    so a place page shows one place (posts/places.py)."""
    rng = world.rng("places")
    return {
        (c, place): tuple(rng.normal(0.0, JITTER_DEGREES, 2))
        for c, city in enumerate(vocab.CITIES)
        for place in city.places
    }


def _insert_tags(world: World, tags: list[list[str]]) -> int:
    tag_ids = _tag_ids(text.all_tag_names())
    note_index = np.repeat(np.arange(world.n_notes), [len(names) for names in tags])
    flat = np.array([tag_ids[name] for names in tags for name in names], np.int64)
    first = next_id(TaggedNote)
    rows = insert(
        TaggedNote,
        {
            "id": np.arange(first, first + len(flat)),
            "tag_id": flat,
            "content_object_id": world.note_ids[note_index],
        },
        log=world.log,
        desc="note tags",
    )
    sync_sequence(TaggedNote)
    return rows


def _tag_ids(names: list[str]) -> dict[str, int]:
    """The vocabulary's tags, created once (a few hundred rows: the ORM is fine), normalised
    as every tag is."""
    normal = {name: tag_normalize(name) for name in names}
    existing = dict(Tag.objects.filter(name__in=set(normal.values())).values_list("name", "id"))
    for tag in normal.values():
        if tag not in existing:
            existing[tag] = Tag.objects.create(name=tag).pk
    return {name: existing[tag] for name, tag in normal.items()}


def _insert_images(world: World, rng, titles: list[str]) -> int:
    counts = 1 + weighted_pick(rng, IMAGE_COUNT_WEIGHTS, world.n_notes)
    note_index = np.repeat(np.arange(world.n_notes), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    position = np.arange(len(note_index)) - starts
    per_topic = len(world.images[0])
    pool = [image for t in range(len(vocab.TOPICS)) for image in world.images[t]]
    picked = world.note_topic[note_index] * per_topic + rng.integers(0, per_topic, len(note_index))
    chosen = [pool[p] for p in picked.tolist()]
    first = next_id(NoteImage)
    rows = insert(
        NoteImage,
        {
            "id": np.arange(first, first + len(note_index)),
            "note_id": world.note_ids[note_index],
            "position": position,
            "original": [image.original for image in chosen],
            "display": [image.display for image in chosen],
            "thumb": [image.thumb for image in chosen],
            "width": np.array([image.width for image in chosen]),
            "height": np.array([image.height for image in chosen]),
            "thumb_width": np.array([image.thumb_width for image in chosen]),
            "thumb_height": np.array([image.thumb_height for image in chosen]),
            "alt_text": [titles[i] for i in note_index.tolist()],
        },
        log=world.log,
        desc="note images",
    )
    sync_sequence(NoteImage)
    return rows


def _insert_products(world: World, rng) -> int:
    """Brands tag their own products; shoppers tag products of the note's topic, popular ones first."""
    if len(world.product_ids) == 0:
        return 0
    author_is_brand = world.is_brand[world.note_author]
    chance = np.where(author_is_brand, BRAND_NOTE_TAGS_PRODUCT, NOTE_TAGS_PRODUCT)
    tagging = np.flatnonzero(rng.random(world.n_notes) < chance)
    product_appeal = heavy_tailed_counts(rng, len(world.product_ids), 10.0, sigma=1.2, cap=10_000) + 1.0
    notes, products = [], []
    for t in np.unique(world.note_topic[tagging]):
        in_topic = np.flatnonzero(world.product_topic == t)
        if len(in_topic) == 0:
            continue
        wanted = tagging[world.note_topic[tagging] == t]
        notes.append(wanted)
        products.append(in_topic[weighted_pick(rng, product_appeal[in_topic], len(wanted))])
    notes_flat = np.concatenate(notes) if notes else np.zeros(0, np.int64)
    products_flat = np.concatenate(products) if products else np.zeros(0, np.int64)
    own = _own_product(world, rng, notes_flat)
    products_flat = np.where(own >= 0, own, products_flat)
    world.note_products = np.stack([notes_flat, products_flat], axis=1)
    through = Note.products.through
    first = next_id(through)
    rows = insert(
        through,
        {
            "id": np.arange(first, first + len(notes_flat)),
            "note_id": world.note_ids[notes_flat],
            "product_id": world.product_ids[products_flat],
        },
        log=world.log,
        desc="note products",
    )
    sync_sequence(through)
    return rows


def _own_product(world: World, rng, notes: np.ndarray) -> np.ndarray:
    """For notes written by a brand, one of that brand's products (-1 otherwise)."""
    own = np.full(len(notes), -1, np.int64)
    order = np.argsort(world.product_brand, kind="stable")
    brands_sorted = world.product_brand[order]
    authors = world.note_author[notes]
    lo = np.searchsorted(brands_sorted, authors, side="left")
    hi = np.searchsorted(brands_sorted, authors, side="right")
    has = hi > lo
    pick = lo[has] + (rng.random(int(has.sum())) * (hi[has] - lo[has])).astype(np.int64)
    own[has] = order[pick]
    return own
