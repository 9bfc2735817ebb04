"""`manage.py media_migrate`: copy local media into the configured stores.

Run after pointing MEDIA_STORAGE_URL at an object store (or, on the local disk, once
after upgrading: it moves note originals out of the public MEDIA_ROOT into the private
originals folder). Idempotent and resumable: a file the store already holds is
skipped, so an interrupted run just runs again. Exit 1 if a row names a file found
nowhere.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reliability.media import (
    MigrationCount,
    field_names,
    media_fields,
    migrate_name,
    migrate_video_file,
    video_files,
)


class Command(BaseCommand):
    help = "Copy media from the local disk into the configured stores (resumable, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, no_progress=False, **options):
        count = MigrationCount()
        for media in media_fields():
            names = field_names(media)
            label = f"{media.model._meta.label}.{media.name}"
            for name in tqdm(names.iterator(), total=names.count(), desc=label, unit="file", disable=no_progress):
                migrate_name(media, name, count)
        for label, name, is_original in tqdm(video_files(), desc="posts.NoteVideo", unit="file", disable=no_progress):
            migrate_video_file(name, is_original, count, label)
        self.stdout.write(
            f"copied {count.copied}, already there {count.present}, "
            f"originals removed from public media {count.unpublished}, missing {count.missing}"
        )
        if count.missing:
            raise CommandError(f"{count.missing} files named by rows were found nowhere (see the log)")
