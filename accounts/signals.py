"""What accounts announce to the apps above it (ARCHITECTURE "Dependencies between apps").

accounts imports no app above it: feeds, search and notifications connect receivers to
these in their `apps.py` `ready()`. Each is sent inside the writing transaction, so a
receiver that enqueues work does it with `enqueue_on_commit` (a rollback sends nothing on).
"""

from django.dispatch import Signal

# follower_id, followee_id: a new follow (feeds refresh the follower's Explore,
# notifications tell the followee).
followed = Signal()

# user_id: what others see of the account changed (suspended, reinstated, a brand
# renamed): search re-indexes its notes and products.
user_changed = Signal()
