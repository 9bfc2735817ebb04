"""The demo world in memory: the arrays one stage hands to the next.

Rows are addressed by position ("user index") in these arrays; the database id of
user index i is `user_ids[i]`. Each stage draws from its own generator derived from
the seed and the stage's name, so the same seed always yields the same world and
one stage's draws never shift another's.
"""

import zlib
from dataclasses import dataclass, field

import numpy as np

from demo.bulk import StageLog

DAY = np.timedelta64(1, "D")
SECOND = np.timedelta64(1, "s")
PICK_CHUNK = 1_000_000
# Draw this many times the wanted pairs: repeats and impossible ones are dropped, the rest trimmed.
OVERSAMPLE = 1.6


@dataclass
class ImageFile:
    """One pooled picture, already through the upload pipeline (paths relative to MEDIA_ROOT)."""

    original: str
    display: str
    thumb: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int


@dataclass
class World:
    seed: int
    now: np.datetime64
    log: StageLog
    # Users.
    user_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    usernames: list[str] = field(default_factory=list)
    display_names: list[str] = field(default_factory=list)
    speaks_zh: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    is_brand: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    interests: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))  # rows sum to 1
    popularity: np.ndarray = field(default_factory=lambda: np.zeros(0))  # how much others follow them
    last_active: np.ndarray = field(default_factory=lambda: np.zeros(0, "datetime64[s]"))
    # Shop.
    product_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    product_topic: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    product_brand: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # user index
    product_names: list[str] = field(default_factory=list)
    variant_names: list[str] = field(default_factory=list)
    variant_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    variant_product: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # product index
    variant_prices: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Images: pooled files per topic index.
    images: dict[int, list[ImageFile]] = field(default_factory=dict)
    # Notes.
    note_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    note_author: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # user index
    note_topic: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    note_created: np.ndarray = field(default_factory=lambda: np.zeros(0, "datetime64[s]"))
    note_appeal: np.ndarray = field(default_factory=lambda: np.zeros(0))  # how likeable, heavy-tailed
    note_products: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))  # (note idx, product idx)
    # Interactions (note index, user index, time), kept for later stages.
    likes: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def rng(self, stage: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(stage.encode())])

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_notes(self) -> int:
        return len(self.note_ids)


def weighted_pick(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indexes drawn with probability proportional to `weights` (inverse CDF, vectorised)."""
    cumulative = np.cumsum(weights, dtype=np.float64)
    picks = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return np.minimum(picks, len(weights) - 1)


def pick_rows(rng: np.random.Generator, row_weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of `rows`, a column drawn from that row's weights (rows sum to 1)."""
    drawn = rng.random(len(rows))
    picked = np.empty(len(rows), np.int64)
    for start in range(0, len(rows), PICK_CHUNK):  # bounded temporaries at 10M rows
        stop = start + PICK_CHUNK
        cumulative = np.cumsum(row_weights[rows[start:stop]], axis=1)
        picked[start:stop] = (cumulative < drawn[start:stop, None]).sum(axis=1)
    return np.minimum(picked, row_weights.shape[1] - 1)


def heavy_tailed_counts(rng: np.random.Generator, n: int, mean: float, *, sigma: float, cap: int) -> np.ndarray:
    """Non-negative counts with the given mean and a lognormal tail (a few very active, most quiet)."""
    if n == 0 or mean <= 0:
        return np.zeros(n, np.int64)
    raw = rng.lognormal(0.0, sigma, n)
    counts = np.floor(raw * (mean / raw.mean()) + rng.random(n)).astype(np.int64)
    return np.minimum(counts, cap)


def unique_pairs(a: np.ndarray, b: np.ndarray, *extra: np.ndarray) -> tuple[np.ndarray, ...]:
    """Drop repeated (a, b) pairs, keeping the first; result sorted by (a, b)."""
    key = a.astype(np.int64) * (int(b.max(initial=0)) + 1) + b
    _, first = np.unique(key, return_index=True)
    return tuple(column[first] for column in (a, b, *extra))


def trim(rng: np.random.Generator, columns: tuple[np.ndarray, ...], total: int) -> tuple[np.ndarray, ...]:
    """At most `total` rows, a uniform sample that keeps the columns' order."""
    if len(columns[0]) <= total:
        return columns
    kept = np.sort(rng.choice(len(columns[0]), total, replace=False))
    return tuple(column[kept] for column in columns)
