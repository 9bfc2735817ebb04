"""Explore's offline quality on a small planted world: it beats popularity and random."""

from feeds.evaluation import evaluate, split_latest
from feeds.world import load_world
from tests.feeds.conftest import planted_world
from tests.feeds.test_ranking import make_world


def test_holdout_hides_latest_interactions(db):
    planted_world(users=12, notes_per_topic=20, likes_per_user=10)
    world = load_world()
    split = split_latest(world, fraction=0.2)
    assert len(split.users) == 12
    assert all(len(held) == 2 for held in split.held.values())
    assert len(split.train.act_users) == len(world.act_users) - 24


def test_holdout_breaks_equal_times_by_note_not_by_row_order():
    # given: five likes by user 1, the latest two at the same moment, in either row order
    notes = [(note_id, 100, ["food"], 1) for note_id in range(10, 15)]
    earlier = [(1, note_id, "like", 0.5 - 0.1 * i) for i, note_id in enumerate(range(10, 13))]
    tied = [(1, 13, "like", 0.0), (1, 14, "like", 0.0)]
    # when: one like is held out (20% of five) from each row order
    held = [split_latest(make_world(notes, earlier + acts), fraction=0.2).held[1] for acts in (tied, tied[::-1])]
    # then: the same one, whichever row the database returned first
    assert held[0] == held[1]
    assert len(held[0]) == 1 and held[0] <= {3, 4}


def test_explore_beats_popularity_on_recall(db):
    """The issue's bar: at least twice the popularity baseline's recall@20.

    This world gives 0.58 against 0.24 (2.4x; 2.4x-4.6x across seeds 1-8), whatever
    tests ran before; `eval_explore` measures 4x-7x on seeded worlds.
    """
    planted_world()
    result = evaluate(load_world(), k=20)
    assert result["users"] == 60
    assert result["explore"]["recall"] >= 2 * result["popularity"]["recall"]
    assert result["explore"]["ndcg"] > result["popularity"]["ndcg"]
    assert result["explore"]["recall"] > result["random"]["recall"]
