"""What the notifications app announces to the apps above it (messaging pushes the unread
count to open sockets); they connect in their `apps.py` `ready()`."""

from django.dispatch import Signal

# Some users' notifications changed (new rows, or marked read): `recipient_ids`.
# Sent inside the writing transaction or after; receivers act after commit.
notifications_changed = Signal()
