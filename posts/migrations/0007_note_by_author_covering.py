"""The Follow feed's index: each author's notes newest first, carrying `created_at`,
`status` and `is_hidden`, so the newest public notes of hundreds of followed accounts come
from the index alone (feeds.selectors._followed_notes).

Not partial: the web prepares its statements, and a generic plan passes `status` as a
parameter, which cannot prove a partial index's condition. Built concurrently (no lock on
writes to posts_note). Postgres only: SQLite has no INCLUDE and needs no such index.
"""

from django.db import migrations

from redbook.schema import postgres_only

FORWARD = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS note_by_author_covering ON posts_note "
    "(author_id, id DESC) INCLUDE (created_at, status, is_hidden)",
]
BACKWARD = ["DROP INDEX CONCURRENTLY IF EXISTS note_by_author_covering"]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("posts", "0006_merge_originals_notifications_video")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
