# Notification now belongs to the notifications app (its 0001 took over the same table):
# forget it here, in Django's state only. No table is dropped, no row is lost.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0004_merge_0003_notification_kind_data_reshare_0003_places'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='Notification')],
        ),
    ]
