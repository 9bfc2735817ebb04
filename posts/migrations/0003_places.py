"""Places (posts/places.py): the Place model, and every existing note with a place name
attached to its Place, in batches (the same keys as note create and edit use)."""

import django.db.models.deletion
from django.db import migrations, models

from posts.places import place_key

BATCH = 2000


def attach_places(apps, schema_editor):
    Note = apps.get_model("posts", "Note")
    Place = apps.get_model("posts", "Place")
    named = Note.objects.exclude(place_name="").order_by("pk")
    last = 0
    while True:
        rows = list(named.filter(pk__gt=last).values_list("pk", "place_name", "lat", "lng")[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        keyed = []
        for pk, place_name, lat, lng in rows:
            name = " ".join(place_name.split())
            if name:
                keyed.append((pk, place_key(name=name, lat=lat, lng=lng), name, lat, lng))
        places = {key: Place(key=key, name=name, lat=lat, lng=lng) for _, key, name, lat, lng in reversed(keyed)}
        Place.objects.bulk_create(places.values(), ignore_conflicts=True)  # the first note of a place names it
        ids = dict(Place.objects.filter(key__in=places).values_list("key", "pk"))
        notes = [Note(pk=pk, place_id=ids[key]) for pk, key, *_ in keyed]
        Note.objects.bulk_update(notes, ["place"], batch_size=500)


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
