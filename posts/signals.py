"""What posts announce to the apps above it (ARCHITECTURE "Dependencies between apps").

posts imports no app above it: feeds and search connect receivers to these in their
`apps.py` `ready()`. Sent inside the writing transaction; receivers enqueue after commit.
"""

from django.dispatch import Signal

# note_id: a note was created, edited, deleted, hidden or restored: search re-indexes it.
note_changed = Signal()

# user_id: the user liked or saved a note (or took it back): feeds refresh their Explore soon.
taste_changed = Signal()

# text: the title and body of a note, or a comment, before it is saved. A receiver
# (moderation's spam keywords) raises redbook.exceptions.Invalid to refuse it, or returns
# True to have it published hidden, for review.
text_submitted = Signal()

# target_type ("note" or "comment"), target: saved, and a receiver of text_submitted
# asked to hold it: moderation hides it and queues it for a moderator.
content_held = Signal()
