"""How results are ordered: pure functions of a result's signals, easy to tune and test.

Two stages. The stored `hot` prior (engagement, log-scaled, plus recency in the
manner of Reddit's "hot") picks the best candidates among all matches through an
index; the final score then blends the text rank of each candidate with its live
engagement and age.
"""

import math
from datetime import datetime

# A note this many days newer needs ten times less engagement to get the same prior.
HOT_DAYS_PER_DECADE = 14
# Freshness halves the score of a note about three months old.
FRESHNESS_DAYS = 30


def note_engagement(*, likes: int, saves: int, comments: int) -> int:
    # A save or a comment says more about usefulness than a like.
    return likes + 2 * saves + 3 * comments


def note_hot(*, likes: int, saves: int, comments: int, created_at: datetime) -> float:
    engagement = note_engagement(likes=likes, saves=saves, comments=comments)
    return math.log10(1 + engagement) + created_at.timestamp() / (86400 * HOT_DAYS_PER_DECADE)


def note_score(*, text_rank: float, likes: int, saves: int, comments: int, age_seconds: float) -> float:
    engagement = note_engagement(likes=likes, saves=saves, comments=comments)
    age_days = max(age_seconds, 0.0) / 86400
    return text_rank * (1 + math.log1p(engagement) / 2) / math.sqrt(1 + age_days / FRESHNESS_DAYS)


def product_popularity(*, sold: int, notes: int) -> int:
    return sold + 3 * notes


def product_hot(*, sold: int, notes: int) -> float:
    return math.log10(1 + product_popularity(sold=sold, notes=notes))


def product_score(*, text_rank: float, sold: int, notes: int) -> float:
    return text_rank * (1 + math.log1p(product_popularity(sold=sold, notes=notes)) / 2)
