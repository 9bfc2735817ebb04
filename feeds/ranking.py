"""Explore ranking: vectorised scoring of candidate notes for a batch of users.

Everything here is pure numpy/scipy over a `World` (arrays loaded in bulk by
`feeds.world`), so the math is tested on small hand-made worlds and the evaluation
(`eval_explore`) reuses it with held-out interactions removed.

For each user the score of a candidate note mixes, each normalised per user to [0, 1]:
- tag affinity: the tags of what the user interacted with (views < likes < comments
  < saves, recent ones weigh more), of their own notes and of the topics they follow,
  minus the tags of notes they marked "not interested";
- co-engagement: item-item cosine similarity over the interaction matrix
  ("people who liked this also liked"), exact on small worlds and through a rank-64
  randomized SVD on large ones (same recall on the seeded world, 4x faster);
- what the accounts they follow liked or saved;
then multiplies them by the note's appeal (its likes and saves of the last weeks, decayed)
and freshness, adds a little appeal so that ties break well, demotes authors marked "not
interested", drops what the user already saw or wrote, and reserves a share of the list
for new notes by small creators. Every item keeps the reason that contributed most.

The item side (co-engagement factors, appeal, freshness, tags) is an `ItemModel`, built
once per full run and cached between one-user refreshes; a `Ranker` adds the matrices
of the users it ranks.
"""

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

# Interaction weights (a save says more than a like, a like more than a view).
WEIGHTS = {"view": 1.0, "like": 3.0, "comment": 4.0, "save": 5.0}
# Mix of the normalised signals.
W_TAG, W_CF, W_FOLLOWED, W_POPULAR = 1.0, 0.8, 0.5, 0.02
POPULARITY_FLOOR = 0.05  # an unliked note that matches well still ranks
# Appeal counts likes and saves with this decay: what people like now predicts the next likes
# better than all-time counts, which favour old notes (eval_explore: ~2.8x -> ~4x popularity's recall).
APPEAL_DAYS = 30.0
FRESHNESS_SHARE = 0.4  # part of the score that decays with the note's age
FRESHNESS_HOURS = 72.0  # a note's freshness halves-ish every few days
INTEREST_DAYS = 30.0  # recent interactions say more about today's interests
TRENDING_HOURS = 48.0
AUTHOR_DEMOTION = 0.2
NEW_NOTE_HOURS = 72.0
SMALL_CREATOR_FOLLOWERS = 1000
NEW_SHARE = 0.15  # part of each list kept for new notes by small creators
# Co-engagement through a rank-k SVD once the interaction matrix is this big (see Ranker.co_engagement).
SVD_MIN_INTERACTIONS = 200_000
SVD_RANK = 64

# Reason codes stored with each item; feeds.reasons renders them as text.
REASON_TAG = "tag"
REASON_TOPIC = "topic"
REASON_SIMILAR = "similar"
REASON_LIKED_BY = "liked_by"
REASON_NEW = "new"
REASON_POPULAR = "popular"
REASON_CITY = "city"
REASON_TRENDING = "trending"


def _empty_pairs():
    return (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


@dataclass
class World:
    """Everything the ranking reads, as flat arrays. Items are indexes into `note_ids`."""

    now: float  # epoch seconds
    note_ids: np.ndarray  # int64, candidate notes
    note_authors: np.ndarray  # int64 author id per note
    note_created: np.ndarray  # float64 epoch seconds
    author_followers: np.ndarray  # int64 follower count of each note's author
    note_tags: sp.csr_matrix  # items x tags, 1 where the note has the tag
    tag_names: list[str]
    note_cities: list[str] = field(default_factory=list)
    # Interactions: one row per (user, item, kind).
    act_users: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    act_items: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    act_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    act_times: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    act_endorses: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # likes and saves
    follows: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)  # (follower, followee)
    topic_follows: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)  # (user, tag index)
    own_tags: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)  # (user, tag index)
    hidden_items: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)  # not interested
    hidden_authors: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)
    hidden_tags: tuple[np.ndarray, np.ndarray] = field(default_factory=_empty_pairs)
    usernames: dict[int, str] = field(default_factory=dict)

    @property
    def n_items(self) -> int:
        return len(self.note_ids)


def _row_normalise(matrix: np.ndarray) -> np.ndarray:
    peak = np.abs(matrix).max(axis=1, keepdims=True, initial=0.0)
    peak[peak == 0] = 1.0
    return matrix / peak


def _peak_normalise(values: np.ndarray) -> np.ndarray:
    peak = values.max(initial=0.0)
    return values / peak if peak > 0 else values


def _interaction_matrix(world: World, user_ids: np.ndarray) -> sp.csr_matrix:
    """Users (rows: `user_ids`, sorted) x items, each interaction weighted by kind and recency."""
    age_days = np.maximum(world.now - world.act_times, 0) / 86400
    recency = 0.5 + 0.5 * np.exp(-age_days / INTEREST_DAYS)
    rows = np.searchsorted(user_ids, world.act_users)
    # log1p damps repeats (a daily view plus a like plus a save of one note).
    return _pairs_matrix(rows, world.act_items, (len(user_ids), world.n_items), world.act_weights * recency).log1p()


def _pairs_matrix(rows, cols, shape, data=None) -> sp.csr_matrix:
    data = np.ones(len(rows), dtype=np.float32) if data is None else data
    matrix = sp.csr_matrix((data, (rows, cols)), shape=shape, dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


class ItemModel:
    """The item side of the ranking, from every interaction: co-engagement, appeal, freshness, tags.

    It costs most of a Ranker's set-up (seconds at scale L), and one user's new like barely
    moves it, so a one-user refresh reuses a recent one (feeds.world caches it).
    """

    def __init__(self, world: World):
        self.user_ids = np.unique(world.act_users)  # everyone who engaged: the columns of co-engagement
        n_items = world.n_items
        interactions = _interaction_matrix(world, self.user_ids)
        col_norm = np.sqrt(np.asarray(interactions.multiply(interactions).sum(axis=0))).ravel()
        col_norm[col_norm == 0] = 1.0
        self.cosine_factor = (interactions @ sp.diags(1.0 / col_norm)).tocsr()
        self.cosine_factor_t = self.cosine_factor.T.tocsr()
        self.item_factors = _item_factors(self.cosine_factor)
        endorse = world.act_endorses
        endorsers = np.searchsorted(self.user_ids, world.act_users[endorse])
        self.endorsements = _pairs_matrix(endorsers, world.act_items[endorse], (len(self.user_ids), n_items))
        self.endorsements.data[:] = 1.0
        endorsed_age_days = np.maximum(world.now - world.act_times[endorse], 0) / 86400
        recent = np.bincount(
            world.act_items[endorse], weights=np.exp(-endorsed_age_days / APPEAL_DAYS), minlength=n_items
        )
        # float32 like the other signals: a batch's dense users x items arrays stay half the size.
        self.appeal = _peak_normalise(np.log1p(recent)).astype(np.float32)
        tags_per_item = np.asarray(world.note_tags.sum(axis=1)).ravel()
        tags_per_item[tags_per_item == 0] = 1.0
        self.item_tags = world.note_tags.tocsr().astype(np.float32)
        self.item_tags_norm = (sp.diags(1.0 / np.sqrt(tags_per_item)) @ self.item_tags).tocsr()
        age_hours = np.maximum(world.now - world.note_created, 0) / 3600
        self.freshness = np.exp(-age_hours / FRESHNESS_HOURS).astype(np.float32)
        self.new_small = (age_hours < NEW_NOTE_HOURS) & (world.author_followers < SMALL_CREATOR_FOLLOWERS)
        cities = world.note_cities or [""] * n_items
        self.popular_reasons = np.array([f"{REASON_CITY}:{c}" if c else REASON_POPULAR for c in cities], dtype=object)
        self.tag_reasons = np.array([f"{REASON_TAG}:{name}" for name in world.tag_names], dtype=object)
        self.topic_reasons = np.array([f"{REASON_TOPIC}:{name}" for name in world.tag_names], dtype=object)


class Ranker:
    """Builds the users' matrices (on a given or new ItemModel); `rank` then scores batches of users."""

    def __init__(self, world: World, *, users: np.ndarray | None = None, items: ItemModel | None = None):
        self.world = world
        self.items = items or ItemModel(world)
        parts = [world.act_users, world.follows[0], world.topic_follows[0], world.own_tags[0], world.note_authors]
        parts += [world.hidden_items[0], world.hidden_authors[0], world.hidden_authors[1], world.hidden_tags[0]]
        if users is not None:
            parts.append(np.asarray(users, dtype=np.int64))
        self.user_ids = np.unique(np.concatenate([np.asarray(p, dtype=np.int64) for p in parts]))
        n_users, n_items, n_tags = len(self.user_ids), world.n_items, len(world.tag_names)
        self.interactions = _interaction_matrix(world, self.user_ids)
        # Columns: followees among the item model's users (those who liked or saved nothing add nothing).
        engaged = self.items.user_ids
        followee = np.searchsorted(engaged, world.follows[1]).clip(max=max(len(engaged) - 1, 0))
        known = engaged[followee] == world.follows[1] if len(engaged) else np.zeros(len(followee), dtype=bool)
        self.follow_matrix = _pairs_matrix(self.rows(world.follows[0][known]), followee[known], (n_users, len(engaged)))
        self.topic_matrix = _pairs_matrix(self.rows(world.topic_follows[0]), world.topic_follows[1], (n_users, n_tags))
        self.own_tag_matrix = _pairs_matrix(self.rows(world.own_tags[0]), world.own_tags[1], (n_users, n_tags))
        self.hidden_tag_matrix = _pairs_matrix(self.rows(world.hidden_tags[0]), world.hidden_tags[1], (n_users, n_tags))
        self.hidden_item_matrix = _pairs_matrix(
            self.rows(world.hidden_items[0]), world.hidden_items[1], (n_users, n_items)
        )
        author_rows = self.rows(world.note_authors)
        self.authored = _pairs_matrix(author_rows, np.arange(n_items), (n_users, n_items))
        hidden_author_pairs = _pairs_matrix(
            self.rows(world.hidden_authors[0]), self.rows(world.hidden_authors[1]), (n_users, n_users)
        )
        self.hidden_author_items = (hidden_author_pairs @ self.authored).tocsr()

    def rows(self, user_ids) -> np.ndarray:
        return np.searchsorted(self.user_ids, np.asarray(user_ids, dtype=np.int64))

    # --- signals -----------------------------------------------------------------
    def tag_profile(self, rows: np.ndarray) -> np.ndarray:
        """Users x tags interest: engaged tags, own tags, followed topics, minus "not interested"."""
        engaged = _row_normalise((self.interactions[rows] @ self.items.item_tags).toarray())
        own = _row_normalise(self.own_tag_matrix[rows].toarray())
        return engaged + 0.5 * own + self.topic_matrix[rows].toarray() - self.hidden_tag_matrix[rows].toarray()

    def co_engagement(self, rows: np.ndarray) -> np.ndarray:
        """Users x items: R_u . (C^T C), C the column-normalised interactions (item-item cosine).

        Small worlds multiply it out exactly; large ones use a rank-k SVD of C, so a
        batch costs two dense products instead of touching every co-engaged user.
        """
        mine = self.interactions[rows]
        if self.items.item_factors is None:
            return ((mine @ self.items.cosine_factor_t) @ self.items.cosine_factor).toarray()
        return (mine @ self.items.item_factors) @ self.items.item_factors.T

    def signals(self, rows: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        profile = self.tag_profile(rows)
        tag = (self.items.item_tags_norm @ profile.T).T
        similar = self.co_engagement(rows)
        followed = np.log1p((self.follow_matrix[rows] @ self.items.endorsements).toarray())
        popular = np.broadcast_to(self.items.appeal, tag.shape)
        return profile, {
            REASON_TAG: W_TAG * _row_normalise(tag),
            REASON_SIMILAR: W_CF * _row_normalise(similar),
            REASON_LIKED_BY: W_FOLLOWED * _row_normalise(followed),
            REASON_POPULAR: W_POPULAR * popular,
        }

    # --- ranking -----------------------------------------------------------------
    def combine(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """Interest times appeal: what matches the user's taste, led by what people engage with.

        Multiplying the personal signals by appeal (rather than adding it) ranks a
        user's topics by how well liked their notes are; measured with eval_explore this
        is the difference between ~1.4x and ~4x the popularity baseline's recall.
        """
        personal = parts[REASON_TAG] + parts[REASON_SIMILAR] + parts[REASON_LIKED_BY]
        appeal = POPULARITY_FLOOR + self.items.appeal
        return (
            personal * appeal * (1 - FRESHNESS_SHARE + FRESHNESS_SHARE * self.items.freshness) + parts[REASON_POPULAR]
        )

    def rank(self, user_ids, *, size: int = 300) -> dict[int, list[tuple[int, float, str]]]:
        """Ranked (note_id, score, reason) lists for `user_ids`; users with no signal at all are left out."""
        user_ids = np.asarray(user_ids, dtype=np.int64)
        rows = self.rows(user_ids)
        profile, parts = self.signals(rows)
        score = self.combine(parts)
        demoted = self.hidden_author_items[rows].toarray() > 0
        score = np.where(demoted, score * AUTHOR_DEMOTION - 0.1, score)
        score = score + np.arange(self.world.n_items) * 1e-12  # ties go to the newer note (float64 from here)
        excluded = (self.interactions[rows] + self.authored[rows] + self.hidden_item_matrix[rows]).toarray() > 0
        score[excluded] = -np.inf
        personal = (REASON_TAG, REASON_SIMILAR, REASON_LIKED_BY)
        has_signal = sum(np.abs(parts[name]).sum(axis=1) for name in personal) > 0
        n_new = round(size * NEW_SHARE)
        main, main_scores = _top_rows(score, size)
        new_pool = np.where(
            self.items.new_small & np.isfinite(score), parts[REASON_TAG] + 0.01 * self.items.freshness, -np.inf
        )
        np.put_along_axis(new_pool, main[:, : size - n_new], -np.inf, axis=1)
        new, new_scores = _top_rows(new_pool, n_new)
        names = list(parts)
        reasons = self._reasons(rows, profile, main, _explaining_signal(parts, names, main), names)
        note_ids = self.world.note_ids
        lists = {}
        for i in np.flatnonzero(has_signal):
            kept = np.isfinite(main_scores[i])
            fresh = new[i][np.isfinite(new_scores[i])]
            lists[int(user_ids[i])] = _spread(
                list(
                    zip(
                        note_ids[main[i][kept]].tolist(),
                        main_scores[i][kept].tolist(),
                        reasons[i][kept].tolist(),
                        strict=True,
                    )
                ),
                note_ids[fresh].tolist(),
                size=size,
            )
        return lists

    def _reasons(self, rows: np.ndarray, profile: np.ndarray, items: np.ndarray, kinds: np.ndarray, names: list[str]):
        """Reason codes (users x items, as `items`), each from the signal that explains the item (`kinds`).

        Vectorised over the whole batch: a Python loop per item cost half the ranking time at scale L.
        """
        reasons = self.items.popular_reasons[items]
        reasons[kinds == names.index(REASON_SIMILAR)] = REASON_SIMILAR
        users, positions = np.nonzero(kinds == names.index(REASON_TAG))
        if len(users):
            tags = _favourite_tags(self.items.item_tags, profile, users, items[users, positions])
            followed = np.asarray(self.topic_matrix[rows[users], tags]).ravel() > 0
            reasons[users, positions] = np.where(followed, self.items.topic_reasons[tags], self.items.tag_reasons[tags])
        for i in np.flatnonzero((kinds == names.index(REASON_LIKED_BY)).any(axis=1)):
            social = np.flatnonzero(kinds[i] == names.index(REASON_LIKED_BY))
            for position, username in zip(social, self._followed_endorsers(rows[i], items[i, social]), strict=True):
                if username:
                    reasons[i, position] = f"{REASON_LIKED_BY}:{username}"
        return reasons

    def _followed_endorsers(self, row: int, items: np.ndarray) -> list[str]:
        """For each item, the username of one followed account that liked or saved it ("" if none)."""
        followees = self.follow_matrix.indices[self.follow_matrix.indptr[row] : self.follow_matrix.indptr[row + 1]]
        if not len(items) or not len(followees):
            return [""] * len(items)
        liked = self.items.endorsements[followees][:, items].tocsc()
        starts, ends = liked.indptr[:-1], liked.indptr[1:]
        return [
            self.world.usernames.get(int(self.items.user_ids[followees[liked.indices[start]]]), "")
            if start < end
            else ""
            for start, end in zip(starts, ends, strict=True)
        ]

    def trending(self, *, size: int = 500, item_mask: np.ndarray | None = None) -> list[tuple[int, float, str]]:
        return trending(self.world, self.items, size=size, item_mask=item_mask)


def trending(
    world: World, model: ItemModel, *, size: int = 500, item_mask: np.ndarray | None = None
) -> list[tuple[int, float, str]]:
    """Recent engagement with time decay, plus a little freshness: for new users and anonymous visitors.

    Item side only (no user matrices), so a distributed run's coordinator computes it
    from the item model alone.
    """
    decay = np.exp(-np.maximum(world.now - world.act_times, 0) / (TRENDING_HOURS * 3600))
    heat = np.bincount(world.act_items, weights=world.act_weights * decay, minlength=world.n_items)
    score = np.log1p(heat) + 0.5 * model.freshness
    if item_mask is not None:
        score = np.where(item_mask, score, -np.inf)
    return [
        (
            int(world.note_ids[item]),
            float(score[item]),
            model.popular_reasons[item] if heat[item] else REASON_NEW,
        )
        for item in _top(score, size)
    ]


def _item_factors(cosine_factor: sp.csr_matrix) -> np.ndarray | None:
    """Items x k factors F with F F^T ~ C^T C, or None when the exact product is cheap enough."""
    if cosine_factor.nnz < SVD_MIN_INTERACTIONS or min(cosine_factor.shape) <= SVD_RANK:
        return None
    sigma, vt = _randomized_svd(cosine_factor, SVD_RANK)
    return (vt.T * sigma).astype(np.float32)


def _randomized_svd(matrix: sp.csr_matrix, k: int, *, oversample: int = 10, iterations: int = 2):
    """Top-k singular values and right vectors (Halko et al.): seconds where ARPACK takes a minute."""
    rng = np.random.default_rng(0)
    sample = matrix @ rng.standard_normal((matrix.shape[1], k + oversample))
    for _ in range(iterations):  # power iterations sharpen the spectrum
        sample, _r = np.linalg.qr(sample)
        sample = matrix @ (matrix.T @ sample)
    basis, _r = np.linalg.qr(sample)
    _u, sigma, vt = np.linalg.svd((matrix.T @ basis).T, full_matrices=False)
    return sigma[:k], vt[:k]


def _top(score: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k best finite scores, best first (ties broken by the newer item, i.e. higher index)."""
    finite = np.flatnonzero(np.isfinite(score))
    if len(finite) > k:
        finite = finite[np.argpartition(-score[finite], k - 1)[:k]]
    return finite[np.lexsort((-finite, -score[finite]))]


def _top_rows(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the indexes and scores of the k best columns, best first (-inf where a row runs out)."""
    k = min(k, matrix.shape[1])
    if k <= 0:
        empty = np.zeros((matrix.shape[0], 0))
        return empty.astype(np.int64), empty
    top = np.argpartition(-matrix, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(matrix, top, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    return top, np.take_along_axis(matrix, top, axis=1)


def _explaining_signal(parts: dict[str, np.ndarray], names: list[str], items: np.ndarray) -> np.ndarray:
    """Per (user, item), the index in `names` of the largest contribution; popularity when none is positive."""
    stacked = np.stack([np.take_along_axis(parts[name], items, axis=1) for name in names])
    best = np.where(stacked.max(axis=0) > 0, np.argmax(stacked, axis=0), names.index(REASON_POPULAR))
    # Social proof explains best: a followed account's like names that account.
    social = np.take_along_axis(parts[REASON_LIKED_BY], items, axis=1) > 0
    return np.where(social, names.index(REASON_LIKED_BY), best)


def _favourite_tags(item_tags: sp.csr_matrix, profile: np.ndarray, users: np.ndarray, items: np.ndarray) -> np.ndarray:
    """For each (user, item) pair, the item's tag with the user's highest interest (items have tags)."""
    starts = item_tags.indptr[items]
    counts = item_tags.indptr[items + 1] - starts
    firsts = np.cumsum(counts) - counts  # where each pair's tags begin in the flat arrays
    pair = np.repeat(np.arange(len(items)), counts)
    tags = item_tags.indices[np.arange(counts.sum()) - np.repeat(firsts - starts, counts)]
    order = np.lexsort((tags, -profile[users[pair], tags], pair))  # per pair: best first, ties to the lower tag
    return tags[order[firsts]]


def _spread(main: list[tuple[int, float, str]], fresh: list[int], *, size: int) -> list[tuple[int, float, str]]:
    """`main` cut to leave room for `fresh` (new notes of small creators), spread evenly between its items."""
    main = main[: size - len(fresh)]
    step = max(len(main) // max(len(fresh), 1), 1)
    merged: list[tuple[int, float, str]] = []
    for position, (note_id, score, reason) in enumerate(main):
        merged.append((note_id, score, reason))
        if fresh and position % step == step - 1:
            merged.append((fresh.pop(0), score, REASON_NEW))
    last = merged[-1][1] if merged else 0.0
    return merged + [(note_id, last, REASON_NEW) for note_id in fresh]
