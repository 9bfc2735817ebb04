"""The hot tier: a flag on the hottest documents, a partial GIN index over them (Postgres
only, as in 0002), and the floor each table's flags follow (search/tiers.py)."""

from django.db import migrations, models

from redbook.schema import postgres_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_note_hot_tier_tsv ON search_notedocument USING gin (tsv) WHERE in_hot_tier",
    "CREATE INDEX IF NOT EXISTS search_product_hot_tier_tsv ON search_productdocument USING gin (tsv) "
    "WHERE in_hot_tier",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_product_hot_tier_tsv",
    "DROP INDEX IF EXISTS search_note_hot_tier_tsv",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_index_backlog"),
    ]

    operations = [
        migrations.CreateModel(
            name="HotTier",
            fields=[
                ("documents", models.CharField(max_length=50, primary_key=True, serialize=False)),
                ("floor", models.FloatField(null=True)),
                ("refreshed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.AddField(
            model_name="notedocument",
            name="in_hot_tier",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="productdocument",
            name="in_hot_tier",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD)),
    ]
