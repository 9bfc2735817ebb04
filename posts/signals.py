"""Events of the posts app that higher apps react to (they connect in their `ready()`)."""

from django.dispatch import Signal

# Some users' notifications changed (new rows, or marked read): `recipient_ids`.
# Send it inside the writing transaction or after; receivers act after commit.
notifications_changed = Signal()
