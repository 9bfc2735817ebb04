"""Search privacy: distinct accounts per query (QueryAccount, QueryReach), banned queries.

QueryCount now counts distinct accounts, not searches: the old rows (which counted
anonymous searches too) are dropped.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_search_counts(apps, schema_editor):
    apps.get_model("search", "QueryCount").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0004_hot_tier'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BannedQuery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=100, unique=True, verbose_name='query')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'banned search query',
                'verbose_name_plural': 'banned search queries',
            },
        ),
        migrations.CreateModel(
            name='QueryReach',
            fields=[
                ('query', models.CharField(max_length=100, primary_key=True, serialize=False)),
                ('accounts', models.PositiveIntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['-accounts'], name='search_queryreach_accounts')],
            },
        ),
        migrations.CreateModel(
            name='QueryAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=100)),
                ('day', models.DateField()),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('query', 'user'), name='queryaccount_unique')],
            },
        ),
        migrations.RunPython(drop_search_counts, migrations.RunPython.noop),
    ]
