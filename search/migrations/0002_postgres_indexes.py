"""Postgres-only search indexes: GIN over the stored tsvectors, pg_trgm for names.

The trigram indexes serve `istartswith` / `icontains` on user names and tags, which
Django compiles to `UPPER(col::text) LIKE UPPER(...)`: the index expression matches.
`accounts_user` belongs to accounts; the two indexes added to it are additive.
SQLite (the embedded default) needs none of this: it matches with LIKE.
"""

from django.db import migrations

from redbook.schema import postgres_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_note_tsv ON search_notedocument USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_product_tsv ON search_productdocument USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS search_tag_name_trgm ON search_tagstat USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_user_username_trgm ON accounts_user "
    "USING gin (UPPER(username::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_user_display_trgm ON accounts_user "
    "USING gin (UPPER(display_name::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_user_display_trgm",
    "DROP INDEX IF EXISTS search_user_username_trgm",
    "DROP INDEX IF EXISTS search_tag_name_trgm",
    "DROP INDEX IF EXISTS search_product_tsv",
    "DROP INDEX IF EXISTS search_note_tsv",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
