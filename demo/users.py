"""Demo users (shoppers and ~5% verified brands) and a heavy-tailed follow graph."""

import numpy as np
from django.contrib.auth.hashers import make_password

from accounts.models import Follow, User
from demo import vocab
from demo.bulk import Timer, insert, next_id, sync_sequence
from demo.world import (
    DAY,
    OVERSAMPLE,
    SECOND,
    World,
    heavy_tailed_counts,
    pick_rows,
    trim,
    unique_pairs,
    weighted_pick,
)

DEMO_PASSWORD = "redbook-demo"  # every demo account signs in with it
DEMO_USERNAME = "demo"
BRAND_SHARE = 0.05
MIN_USERS_FOR_A_BRAND = 10
ACTIVE_SHARE = 0.4  # active in the last 7 days: the users Explore precomputes for
TOPIC_FOLLOW_SHARE = 0.6  # the rest of the follows go by global popularity


def seed_users(world: World, count: int) -> None:
    rng = world.rng("users")
    n_topics = len(vocab.TOPICS)
    with Timer(world.log, "users") as timer:
        first = next_id(User)
        world.user_ids = np.arange(first, first + count, dtype=np.int64)
        world.is_brand = rng.random(count) < BRAND_SHARE
        world.is_brand[-1] |= count >= MIN_USERS_FOR_A_BRAND  # even a small world has a shop
        world.is_brand[0] &= first != 1  # the first user of a fresh world is the shopper "demo"
        world.speaks_zh = rng.random(count) < 0.7
        world.interests = _planted_interests(rng, count, n_topics, world.is_brand)
        # Zipf-like appeal over a random order of users: a few stars, a long tail.
        rank = rng.permutation(count) + 1
        world.popularity = rank**-0.85 * np.where(world.is_brand, 3.0, 1.0)
        active = rng.random(count) < ACTIVE_SHARE
        idle_days = np.where(active, rng.random(count) * 6, 8 + rng.random(count) * 80)
        world.last_active = world.now - (idle_days * 86400).astype(np.int64) * SECOND
        brand_prefix = rng.integers(0, len(vocab.BRAND_PREFIX), count)
        world.usernames = _usernames(rng, world, brand_prefix)
        if first == 1:
            world.usernames[0] = DEMO_USERNAME  # the README's example login
        world.display_names = _display_names(rng, world, brand_prefix)
        timer.rows = insert(User, _user_columns(rng, world), log=world.log, desc="users")
        sync_sequence(User)


def _planted_interests(rng, count: int, n_topics: int, is_brand: np.ndarray) -> np.ndarray:
    """Each user prefers 1-3 topics (brands one: their category), weights from a Dirichlet."""
    shop_topics = [vocab.TOPICS.index(topic) for topic in vocab.SHOP_TOPICS]
    order = np.argsort(rng.random((count, n_topics)), axis=1)
    how_many = np.where(is_brand, 1, rng.integers(1, 4, count))
    order[is_brand, 0] = rng.choice(shop_topics, int(is_brand.sum()))
    weights = rng.dirichlet(np.ones(3), count) * np.where(np.arange(3) < how_many[:, None], 1.0, 0.0)
    weights /= weights.sum(axis=1, keepdims=True)
    interests = np.zeros((count, n_topics), np.float32)
    rows = np.broadcast_to(np.arange(count)[:, None], (count, 3))
    # add.at, not assignment: a brand's chosen topic may repeat among its three columns.
    np.add.at(interests, (rows, order[:, :3]), weights)
    return interests


def _usernames(rng, world: World, brand_stems: np.ndarray) -> list[str]:
    stems = rng.integers(0, len(vocab.USERNAME_STEMS), world.n_users)
    return [
        f"{vocab.BRAND_PREFIX[b].lower()}_official{uid}" if brand else f"{vocab.USERNAME_STEMS[s]}{uid}"
        for uid, brand, s, b in zip(world.user_ids.tolist(), world.is_brand.tolist(), stems, brand_stems, strict=True)
    ]


def _display_names(rng, world: World, brand_prefix: np.ndarray) -> list[str]:
    n = world.n_users
    picks = rng.integers(0, 1_000_000, (n, 3)).tolist()
    names = []
    for i, (brand, zh) in enumerate(zip(world.is_brand.tolist(), world.speaks_zh.tolist(), strict=True)):
        a, b, c = picks[i]
        if brand:
            prefix = vocab.BRAND_PREFIX[brand_prefix[i]]
            names.append(f"{prefix} {vocab.BRAND_SUFFIX[b % 8]} {vocab.BRAND_ZH[c % len(vocab.BRAND_ZH)]}")
        elif zh and a % 2:
            names.append(f"{vocab.NICK_ADJ_ZH[b % len(vocab.NICK_ADJ_ZH)]}{vocab.NICK_NOUN_ZH[c % 10]}")
        elif zh:
            given = vocab.GIVEN_ZH
            names.append(vocab.SURNAMES_ZH[a % len(vocab.SURNAMES_ZH)] + given[b % len(given)] + given[c % len(given)])
        else:
            names.append(f"{vocab.FIRST_EN[b % len(vocab.FIRST_EN)]} {vocab.LAST_EN[c % len(vocab.LAST_EN)]}")
    return names


def _user_columns(rng, world: World) -> dict:
    n = world.n_users
    bios = np.where(
        world.speaks_zh,
        np.array(vocab.BIOS_ZH, dtype=object)[rng.integers(0, len(vocab.BIOS_ZH), n)],
        np.array(vocab.BIOS_EN, dtype=object)[rng.integers(0, len(vocab.BIOS_EN), n)],
    )
    city = np.array([c.zh for c in vocab.CITIES], dtype=object)[weighted_pick(rng, _city_weights(), n)]
    joined = world.now - (200 + rng.random(n) * 700).astype(np.int64) * DAY
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing 100k passwords would take hours
    return {
        "id": world.user_ids,
        "username": world.usernames,
        "email": [f"{name}@example.com" for name in world.usernames],
        "password": [password] * n,
        "display_name": world.display_names,
        "bio": bios.tolist(),
        "location": np.where(rng.random(n) < 0.6, city, "").tolist(),
        "account_type": np.where(world.is_brand, User.AccountType.BRAND, User.AccountType.PERSONAL).tolist(),
        "is_verified": world.is_brand,
        "date_joined": joined.astype("datetime64[s]"),
        "last_active_at": world.last_active,
        "is_active": np.ones(n, bool),
    }


def _city_weights() -> np.ndarray:
    return np.array([city.weight for city in vocab.CITIES])


def seed_follows(world: World, total: int) -> None:
    """Out-degrees heavy-tailed; targets by popularity, partly within the follower's topics."""
    rng = world.rng("follows")
    n = world.n_users
    if n < 2 or total <= 0:
        return
    with Timer(world.log, "follows") as timer:
        out_degree = heavy_tailed_counts(rng, n, OVERSAMPLE * total / n, sigma=1.0, cap=min(n - 1, 5000))
        follower = np.repeat(np.arange(n), out_degree)
        followee = _draw_followees(rng, world, follower)
        keep = follower != followee
        follower, followee = trim(rng, unique_pairs(follower[keep], followee[keep]), total)
        age = (rng.random(len(follower)) * 180 * 86400).astype(np.int64) * SECOND
        first = next_id(Follow)
        timer.rows = insert(
            Follow,
            {
                "id": np.arange(first, first + len(follower)),
                "follower_id": world.user_ids[follower],
                "followee_id": world.user_ids[followee],
                "created_at": world.now - age,
            },
            log=world.log,
            desc="follows",
        )
        sync_sequence(Follow)


def _draw_followees(rng, world: World, follower: np.ndarray) -> np.ndarray:
    followee = weighted_pick(rng, world.popularity, len(follower))
    by_topic = rng.random(len(follower)) < TOPIC_FOLLOW_SHARE
    topic = pick_rows(rng, world.interests, follower[by_topic])
    main_topic = world.interests.argmax(axis=1)
    picked = np.empty(len(topic), np.int64)
    for t in np.unique(topic):
        creators = np.flatnonzero(main_topic == t)
        wanted = topic == t
        picked[wanted] = creators[weighted_pick(rng, world.popularity[creators], int(wanted.sum()))]
    followee[by_topic] = picked
    return followee
