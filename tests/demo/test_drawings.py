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


def test_every_topic_has_objects_of_its_own():
    assert set(MOTIFS) == {topic.slug for topic in vocab.TOPICS}
    assert all(len(motifs) == 2 for motifs in MOTIFS.values())
    drawings = {(slug, variant): _drawn(slug, variant) for slug in MOTIFS for variant in (0.3, 0.8)}
    for key, pixels in drawings.items():
        covered = (pixels[..., 3] > 200).mean()
        assert 0.06 < covered < 0.6, (key, covered)  # an object in the frame, not a blot or a speck
    shapes = [pixels[..., 3] > 200 for pixels in drawings.values()]
    for i in range(len(shapes)):
        for j in range(i + 1, len(shapes)):
            assert (shapes[i] != shapes[j]).mean() > 0.05  # no two motifs draw the same shape


def test_a_topics_photos_vary():
    assert (_drawn("food", 0.1) != _drawn("food", 0.9)).any()
