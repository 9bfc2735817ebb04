"""A pool of pictures drawn by Pillow, run through the real upload pipeline: each shows its
topic's object (demo/drawings.py: a coffee cup for food, mountains for travel...).

Notes share these files (a million notes do not need a million JPEGs): NoteImage
rows point at pooled paths. Files get deterministic names per seed, so a second
seeding with the same seed (a re-run of the benchmark) reuses them instead of
drawing them again.
"""

import io

import numpy as np
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from demo import vocab
from demo.bulk import Timer
from demo.drawings import draw_motif
from demo.world import ImageFile, World
from posts.services import DISPLAY_MAX, ORIGINAL_MAX, THUMB_MAX
from redbook.images import load_image, make_rendition
from redbook.storage import originals_storage

POOL_MAX = 300
POOL_MIN_PER_TOPIC = 2  # default sizes; an explicit --images may go down to one per topic
SHAPES = ((1080, 1440), (1080, 1080), (1080, 810), (1080, 1350))  # 3:4 dominates, as on the app
RENDITION_EXTENSIONS = {"original": "jpg", "display": "jpg", "thumb": "webp"}
DRAWING = "m2"  # in the file names: a new way of drawing must not reuse the old files


def pool_size(n_notes: int) -> int:
    return int(min(POOL_MAX, max(POOL_MIN_PER_TOPIC * len(vocab.TOPICS), n_notes // 100)))


def seed_image_pool(world: World, size: int) -> None:
    rng = world.rng("images")
    per_topic = max(1, size // len(vocab.TOPICS))
    with Timer(world.log, "image pool") as timer:
        for t, topic in enumerate(vocab.TOPICS):
            world.images[t] = [_pooled(world.seed, t, k, topic, rng) for k in range(per_topic)]
            timer.rows += per_topic


def _pooled(seed: int, t: int, k: int, topic: vocab.Topic, rng) -> ImageFile:
    # Draw even when cached so that the generator advances the same way either way.
    width, height = SHAPES[int(rng.integers(0, len(SHAPES)))]
    colours = rng.integers(0, len(topic.palette), 4)
    spots = rng.random((5, 3))
    variant = float(rng.random())
    stem = f"s{seed}-t{t:02d}-{k:03d}-{DRAWING}"
    names = {kind: f"notes/{kind}/demo/{stem}.{ext}" for kind, ext in RENDITION_EXTENSIONS.items()}
    if all(_storage(kind).exists(name) for kind, name in names.items()):
        return _describe(names)
    picture = _draw(width, height, [topic.palette[c] for c in colours], spots, topic.slug, variant)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = load_image(buffer)
    renditions = {
        "original": make_rendition(image, max_size=ORIGINAL_MAX, fmt="JPEG", quality=95),
        "display": make_rendition(image, max_size=DISPLAY_MAX, fmt="JPEG", quality=85),
        "thumb": make_rendition(image, max_size=THUMB_MAX, fmt="WEBP", quality=80),
    }
    for kind, rendition in renditions.items():
        names[kind] = _storage(kind).save(names[kind], rendition.content)
    return ImageFile(
        original=names["original"],
        display=names["display"],
        thumb=names["thumb"],
        width=renditions["display"].width,
        height=renditions["display"].height,
        thumb_width=renditions["thumb"].width,
        thumb_height=renditions["thumb"].height,
    )


def _storage(kind: str):
    """Originals are private (the "originals" store), renditions public, as for uploads."""
    return originals_storage() if kind == "original" else default_storage


def _describe(names: dict[str, str]) -> ImageFile:
    with default_storage.open(names["display"]) as display, Image.open(display) as d:
        width, height = d.size
    with default_storage.open(names["thumb"]) as thumb, Image.open(thumb) as t:
        thumb_width, thumb_height = t.size
    return ImageFile(names["original"], names["display"], names["thumb"], width, height, thumb_width, thumb_height)


def _draw(width: int, height: int, colours: list, spots: np.ndarray, slug: str, variant: float) -> Image.Image:
    """A soft vertical gradient, a few faint discs and the topic's object in front."""
    top, bottom = np.array(colours[0], float), np.array(colours[1], float)
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    pixels = (top * (1 - ramp) + bottom * ramp).astype(np.uint8)
    picture = Image.fromarray(np.broadcast_to(pixels, (height, width, 3)).copy(), "RGB").convert("RGBA")
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i, (x, y, r) in enumerate(spots):
        radius = 80 + r * 260
        cx, cy = x * width, y * height
        fill = (*colours[2 + i % 2], 90)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
    picture = Image.alpha_composite(picture, overlay)
    motif = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw_motif(ImageDraw.Draw(motif), slug, width, height, variant)
    return Image.alpha_composite(picture, motif).convert("RGB")
