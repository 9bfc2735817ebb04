"""Demo photos show their topic's object (demo/drawings.py), drawn once per pooled image."""

import numpy as np
from PIL import Image, ImageDraw

from demo import vocab
from demo.drawings import MOTIFS, draw_motif

SIZE = (540, 720)


def _drawn(slug: str, variant: float = 0.3) -> np.ndarray:
    canvas = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw_motif(ImageDraw.Draw(canvas), slug, *SIZE, variant)
    return np.asarray(canvas)


def test_every_topic_has_its_own_object():
    assert set(MOTIFS) == {topic.slug for topic in vocab.TOPICS}
    drawings = {slug: _drawn(slug) for slug in MOTIFS}
    for slug, pixels in drawings.items():
        covered = (pixels[..., 3] > 200).mean()
        assert 0.08 < covered < 0.6, (slug, covered)  # an object in the frame, not a blot or a speck
    shapes = [drawings[slug][..., 3] > 200 for slug in MOTIFS]
    for i in range(len(shapes)):
        for j in range(i + 1, len(shapes)):
            assert (shapes[i] != shapes[j]).mean() > 0.05  # no two topics draw the same shape


def test_a_topics_photos_vary():
    assert (_drawn("food", 0.1) != _drawn("food", 0.9)).any()
