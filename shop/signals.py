"""What shop announces to the apps above it (ARCHITECTURE "Dependencies between apps").

shop imports no app above it: search connects a receiver in its `apps.py` `ready()`.
Sent inside the writing transaction; the receiver enqueues after commit.
"""

from django.dispatch import Signal

# product_id: a product was created, edited, hidden or restored: search re-indexes it.
product_changed = Signal()
