"""Ranking math on small hand-made worlds whose right order is known."""

import time
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from feeds.ranking import REASON_LIKED_BY, REASON_NEW, REASON_TAG, REASON_TOPIC, WEIGHTS, ItemModel, Ranker, World
from feeds.store import unique_scores

NOW = time.time()
DAY = 86400.0
TAGS = ["skincare", "food", "travel"]


def make_world(notes, acts=(), **extra) -> World:
    """notes: [(note_id, author_id, tag names, age_days)]; acts: [(user, note_id, kind, age_days)]."""
    ids = [n[0] for n in notes]
    rows, cols = [], []
    for i, (_id, _author, tags, _age) in enumerate(notes):
        for tag in tags:
            rows.append(i)
            cols.append(TAGS.index(tag))
    item = {note_id: i for i, note_id in enumerate(ids)}
    return World(
        now=NOW,
        note_ids=np.array(ids, dtype=np.int64),
        note_authors=np.array([n[1] for n in notes], dtype=np.int64),
        note_created=np.array([NOW - n[3] * DAY for n in notes]),
        author_followers=np.full(len(notes), 5000, dtype=np.int64),
        note_tags=sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(notes), len(TAGS))),
        tag_names=TAGS,
        note_cities=["" for _ in notes],
        act_users=np.array([a[0] for a in acts], dtype=np.int64),
        act_items=np.array([item[a[1]] for a in acts], dtype=np.int64),
        act_weights=np.array([WEIGHTS[a[2]] for a in acts], dtype=np.float32),
        act_times=np.array([NOW - a[3] * DAY for a in acts]),
        act_endorses=np.array([a[2] in ("like", "save") for a in acts], dtype=bool),
        **extra,
    )


def pairs(*values):
    return tuple(np.array(v, dtype=np.int64) for v in zip(*values, strict=True)) if values else None


def ids_of(ranked):
    return [note_id for note_id, _, _ in ranked]


def test_tag_affinity_orders_the_liked_topic_first_and_explains_it():
    # given: user 1 liked two skincare notes; candidates in skincare, food, travel
    notes = [
        (10, 100, ["skincare"], 1),
        (11, 100, ["skincare"], 1),
        (20, 101, ["skincare"], 1),
        (21, 102, ["food"], 1),
        (22, 103, ["travel"], 1),
    ]
    world = make_world(notes, [(1, 10, "like", 1), (1, 11, "save", 1)])
    # when
    ranked = Ranker(world).rank([1], size=10)[1]
    # then: the unseen skincare note leads, the liked notes are gone, the reason names the tag
    assert ids_of(ranked)[0] == 20
    assert 10 not in ids_of(ranked) and 11 not in ids_of(ranked)
    assert ranked[0][2] == f"{REASON_TAG}:skincare"
    scores = [score for _, score, _ in ranked]
    assert scores == sorted(scores, reverse=True)


def test_co_engagement_ranks_what_similar_users_liked():
    # notes carry no tags: only "people who liked this also liked" can tell them apart
    notes = [(i, 100 + i, [], 1) for i in (1, 2, 3, 4)]
    acts = [(u, 1, "like", 1) for u in (7, 8, 9)] + [(u, 2, "like", 1) for u in (7, 8, 9)]
    acts += [(5, 3, "like", 1), (6, 3, "like", 1), (5, 4, "like", 1)]
    acts += [(1, 1, "like", 1)]  # user 1 liked note 1, whose fans also liked note 2
    ranked = Ranker(make_world(notes, acts)).rank([1], size=10)[1]
    assert ids_of(ranked)[0] == 2


def test_followed_accounts_likes_count_and_name_the_friend():
    notes = [(1, 100, ["food"], 1), (2, 101, ["food"], 1), (3, 102, ["food"], 1)]
    acts = [(50, 3, "like", 1), (1, 1, "view", 1)]
    world = make_world(notes, acts, follows=pairs((1, 50)), usernames={50: "lin"})
    ranked = Ranker(world).rank([1], size=10)[1]
    assert ids_of(ranked)[0] == 3
    assert ranked[0][2] == f"{REASON_LIKED_BY}:lin"


def test_followed_topic_counts_as_interest():
    notes = [(1, 100, ["food"], 1), (2, 101, ["travel"], 1)]
    world = make_world(notes, topic_follows=pairs((1, TAGS.index("travel"))))
    ranked = Ranker(world).rank([1], size=10)[1]
    assert ids_of(ranked)[0] == 2
    assert ranked[0][2] == f"{REASON_TOPIC}:travel"


def test_not_interested_hides_the_note_and_demotes_author_and_tags():
    notes = [
        (1, 100, ["skincare"], 1),
        (2, 100, ["food"], 0.2),  # same author as the hidden note, and the freshest
        (3, 101, ["food"], 1),
        (4, 102, ["food"], 1),
        (5, 103, ["food"], 2),
        (6, 104, ["food", "skincare"], 1),  # shares the hidden note's tag
    ]
    acts = [(1, 5, "like", 1), (1, 1, "view", 3)]
    base = ids_of(Ranker(make_world(notes, acts)).rank([1], size=10)[1])
    assert base[0] == 2 and base.index(6) < base.index(3)
    world = make_world(
        notes,
        acts,
        hidden_items=pairs((1, 0)),
        hidden_authors=pairs((1, 100)),
        hidden_tags=pairs((1, TAGS.index("skincare"))),
    )
    ranked = ids_of(Ranker(world).rank([1], size=10)[1])
    assert 1 not in ranked
    assert ranked.index(2) > ranked.index(3) and ranked.index(2) > ranked.index(4)
    assert ranked.index(6) > ranked.index(3) and ranked.index(6) > ranked.index(4)  # the demoted tag


def test_fresher_note_wins_between_equals():
    notes = [(1, 100, ["food"], 10), (2, 101, ["food"], 0.1), (3, 102, ["food"], 3)]
    acts = [(1, 3, "like", 1)]
    ranked = ids_of(Ranker(make_world(notes, acts)).rank([1], size=10)[1])
    assert ranked == [2, 1]


def test_new_notes_of_small_creators_get_a_share():
    notes = [(i, 100 + i, ["food"], 5) for i in range(1, 30)]
    notes.append((99, 999, ["travel"], 0.5))  # new, small creator, outside the user's taste
    world = make_world(notes, [(1, 1, "like", 1)])
    world.author_followers[-1] = 3
    ranked = Ranker(world).rank([1], size=20)[1]
    assert (99, REASON_NEW) in [(note_id, reason) for note_id, _, reason in ranked]
    assert len(ranked) == 20


def test_own_notes_are_never_recommended_and_users_without_signal_get_no_list():
    notes = [(1, 1, ["food"], 1), (2, 100, ["food"], 1)]
    world = make_world(notes, [(1, 2, "view", 1)], own_tags=pairs((1, TAGS.index("food"))))
    lists = Ranker(world, users=np.array([1, 2])).rank([1, 2], size=10)
    assert 2 not in lists  # user 2 has no signal at all: trending serves them
    assert 1 not in ids_of(lists.get(1, []))


def test_trending_prefers_recent_engagement():
    notes = [(1, 100, [], 5), (2, 101, [], 5)]
    acts = [(u, 1, "like", 6) for u in range(10, 20)] + [(u, 2, "like", 0.1) for u in range(20, 26)]
    trending = Ranker(make_world(notes, acts)).trending(size=10)
    assert ids_of(trending) == [2, 1]


def test_unique_scores_are_strictly_decreasing():
    assert len(set(unique_scores([3.0, 3.0, 2.0, 2.0, 2.0]))) == 5
    scores = unique_scores([3.0, 3.0, 2.0])
    assert scores[0] > scores[1] > scores[2]


def test_an_empty_world_ranks_nothing_without_failing():
    world = make_world([], follows=pairs((1, 2)))
    ranker = Ranker(world, users=np.array([1]))
    assert ranker.rank([1], size=10) == {}
    assert ranker.trending(size=10) == []


def test_the_svd_path_agrees_with_the_exact_co_engagement(monkeypatch):
    rng = np.random.default_rng(1)
    notes = [(i, 1000 + i, [], 1) for i in range(1, 121)]
    # two taste groups: users 1-60 like notes 1-60, users 61-120 like notes 61-120
    acts = [
        (user, int(note), "like", 1)
        for user in range(1, 121)
        for note in rng.choice(60, 12, replace=False) + (1 if user <= 60 else 61)
    ]
    world = make_world(notes, acts)
    exact = Ranker(world).co_engagement(np.array([0, 70]))
    monkeypatch.setattr("feeds.ranking.SVD_MIN_INTERACTIONS", 1)
    monkeypatch.setattr("feeds.ranking.SVD_RANK", 8)
    approx = Ranker(world).co_engagement(np.array([0, 70]))
    for row in (0, 1):
        top_exact, top_approx = set(np.argsort(-exact[row])[:30]), set(np.argsort(-approx[row])[:30])
        assert len(top_exact & top_approx) >= 24


def test_a_cached_item_model_with_only_the_users_rows_ranks_as_the_whole_world():
    # the one-user refresh: the item model of the full world, plus only this user's interactions
    notes = [(i, 100 + i % 4, ["food" if i % 2 else "travel"], i % 5) for i in range(1, 21)]
    acts = [(u, n, "like", 1) for u in range(2, 12) for n in range(1, 21) if (u + n) % 3 == 0]
    acts += [(1, 3, "like", 1), (1, 4, "save", 2), (1, 7, "view", 1)]
    world = make_world(notes, acts, follows=pairs((1, 5), (1, 6)), usernames={5: "lin", 6: "mei"})
    whole = Ranker(world).rank([1], size=10)[1]
    mine = world.act_users == 1
    alone = replace(
        world,
        **{
            name: getattr(world, name)[mine]
            for name in ("act_users", "act_items", "act_weights", "act_times", "act_endorses")
        },
    )
    assert Ranker(alone, items=ItemModel(world)).rank([1], size=10)[1] == whole
