"""Nearby's index: each placed note as a point on the unit sphere, in a GiST index (the
`cube` extension, from Postgres's contrib as pg_trgm is), so Nearby reads notes nearest
first by true distance and stops at a page (feeds.selectors.nearby_feed).

The expression is `feeds.selectors.NOTE_UNIT_VECTOR` without the table name: a query uses
the index only while the two match (tests/feeds/test_nearby_feed.py checks the plan).
`posts_note` belongs to posts; like search's indexes on accounts_user, this one is additive.
SQLite (the embedded default) needs none of this: Nearby sorts its few notes in Python there.
The `cube` extension must be installable (Postgres 13+ lets a database owner install it) or
installed on the schema search path.
"""

from django.db import migrations

from redbook.schema import postgres_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS cube",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS note_unit_vector ON posts_note USING gist ("
    "cube(ARRAY[cos(radians(lat)) * cos(radians(lng)), cos(radians(lat)) * sin(radians(lng)), sin(radians(lat))])"
    ") WHERE lat IS NOT NULL AND lng IS NOT NULL",
]
BACKWARD = ["DROP INDEX CONCURRENTLY IF EXISTS note_unit_vector"]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY (no lock on writes to posts_note) cannot run in a transaction

    dependencies = [
        ("feeds", "0002_default_channels"),
        ("posts", "0006_merge_originals_notifications_video"),
    ]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
