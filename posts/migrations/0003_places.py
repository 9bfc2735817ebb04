"""Places (posts/places.py): the Place model, and every existing note with a place name
attached to its Place, in batches (as note create and edit attach them)."""

import django.db.models.deletion
from django.db import migrations, models

from posts.places import places_attach


def attach_places(apps, schema_editor):
    places_attach(note_model=apps.get_model("posts", "Note"), place_model=apps.get_model("posts", "Place"))


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0002_note_title_up_to_100'),
    ]

    operations = [
        migrations.CreateModel(
            name='Place',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=140, unique=True)),
                ('name', models.CharField(max_length=100, verbose_name='place')),
                ('lat', models.FloatField(blank=True, null=True)),
                ('lng', models.FloatField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'place',
            },
        ),
        migrations.AddField(
            model_name='note',
            name='place',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notes', to='posts.place'),
        ),
        migrations.RunPython(attach_places, migrations.RunPython.noop),
    ]
