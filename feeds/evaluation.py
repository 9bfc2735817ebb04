"""Offline quality of Explore: hold out each user's latest interactions, rank, and score the hits.

Reports recall@k and NDCG@k of the Explore ranking next to a popularity baseline (the
most liked and saved notes the user has not touched), a recent-popularity one (the same
but counting likes and saves with the decay Explore's appeal uses: a stronger baseline,
shown so that Explore's lift is seen to come from personalization) and a random one.
"""

from dataclasses import dataclass, replace

import numpy as np

from feeds.ranking import Ranker, World

METHODS = ("explore", "popularity", "recent", "random")


@dataclass(frozen=True)
class Holdout:
    train: World
    users: np.ndarray  # evaluated user ids
    held: dict[int, set[int]]  # user id -> held-out item indexes


def split_latest(world: World, *, fraction: float = 0.2, min_positives: int = 5) -> Holdout:
    """Hide each user's latest liked/saved/commented notes (a `fraction`, at least one) from `world`.

    Every interaction of the user with a hidden note goes, views included, so the
    ranking cannot see it by any door.
    """
    positive = world.act_weights > 1.0  # likes, comments, saves; not views
    held: dict[int, set[int]] = {}
    users = world.act_users[positive]
    items = world.act_items[positive]
    times = world.act_times[positive]
    # Per user by time; equal times by item, not by the order the database returned the rows in.
    order = np.lexsort((items, times, users))
    users, items = users[order], items[order]
    bounds = np.flatnonzero(np.diff(users)) + 1
    for user_items, user in zip(np.split(items, bounds), users[np.r_[0, bounds]] if len(users) else [], strict=True):
        distinct = list(dict.fromkeys(user_items[::-1].tolist()))  # latest first
        if len(distinct) < min_positives:
            continue
        held[int(user)] = set(distinct[: max(1, round(fraction * len(distinct)))])
    pair = world.act_users * world.n_items + world.act_items  # one int per (user, item)
    held_pairs = [user * world.n_items + item for user, hidden in held.items() for item in hidden]
    drop = np.isin(pair, np.asarray(held_pairs, dtype=np.int64))
    train = replace(
        world,
        act_users=world.act_users[~drop],
        act_items=world.act_items[~drop],
        act_weights=world.act_weights[~drop],
        act_times=world.act_times[~drop],
        act_endorses=world.act_endorses[~drop],
    )
    return Holdout(train=train, users=np.array(sorted(held), dtype=np.int64), held=held)


def _recall_ndcg(recommended: list[int], held: set[int], k: int) -> tuple[float, float]:
    gains = [1.0 / np.log2(rank + 2) for rank, item in enumerate(recommended[:k]) if item in held]
    ideal = sum(1.0 / np.log2(rank + 2) for rank in range(min(len(held), k)))
    return len(gains) / len(held), (sum(gains) / ideal if ideal else 0.0)


def evaluate(world: World, *, k: int = 20, fraction: float = 0.2, seed: int = 0, batch: int = 64) -> dict:
    """{method: {"recall": r, "ndcg": n}} averaged over users with enough interactions, plus "users"."""
    split = split_latest(world, fraction=fraction)
    ranker = Ranker(split.train, users=split.users)
    item_of = {int(note_id): i for i, note_id in enumerate(world.note_ids)}
    touched = ranker.interactions.tocsr()
    rng = np.random.default_rng(seed)
    endorsers = np.asarray(ranker.items.endorsements.sum(axis=0)).ravel()  # distinct users who liked or saved
    orders = {
        "popularity": np.argsort(-endorsers, kind="stable"),
        "recent": np.argsort(-ranker.items.appeal, kind="stable"),
    }
    totals = {name: np.zeros(2) for name in METHODS}
    for start in range(0, len(split.users), batch):
        chunk = split.users[start : start + batch]
        lists = ranker.rank(chunk, size=k)
        for user in chunk:
            held = split.held[int(user)]
            row = ranker.rows([user])[0]
            seen = set(touched.indices[touched.indptr[row] : touched.indptr[row + 1]].tolist())
            explore = [item_of[note_id] for note_id, _, _ in lists.get(int(user), [])]
            unseen = np.setdiff1d(np.arange(world.n_items), list(seen))
            recommended = {
                "explore": explore,
                **{
                    name: [int(i) for i in order[: k + len(seen)] if int(i) not in seen][:k]
                    for name, order in orders.items()
                },
                "random": rng.choice(unseen, size=min(k, len(unseen)), replace=False).tolist(),
            }
            for name, items in recommended.items():
                totals[name] += _recall_ndcg(items, held, k)
    n = max(len(split.users), 1)
    result = {name: {"recall": float(total[0] / n), "ndcg": float(total[1] / n)} for name, total in totals.items()}
    return {**result, "users": len(split.users)}
