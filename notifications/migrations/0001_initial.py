# The Notification model moves from posts to notifications: the table (posts_notification),
# its rows and its indexes stay as they are; only Django's model state changes hands
# (posts 0005 removes it from posts' state, state only as well).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('posts', '0004_merge_0003_notification_kind_data_reshare_0003_places'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verb', models.CharField(choices=[('like', 'liked your note'), ('save', 'saved your note'), ('comment', 'commented on your note'), ('reply', 'replied to your comment'), ('mention', 'mentioned you'), ('follow', 'started following you'), ('reshare', 're-shared your note'), ('system', 'system message')], max_length=10)),
                        ('text', models.CharField(blank=True, max_length=300)),
                        ('kind', models.CharField(blank=True, max_length=30)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('dedupe_key', models.CharField(max_length=120, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.comment')),
                        ('note', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='posts.note')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'posts_notification',
                        'indexes': [
                            models.Index(fields=['recipient', '-created_at'], name='posts_notif_recipie_51632d_idx'),
                            models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread'),
                        ],
                    },
                ),
            ],
        ),
    ]
