"""Media housekeeping over every stored file field of every model (notes' images,
avatars, product images, and whatever file fields other apps add):

- `sweep_orphans`: files in the stores that no row names, older than a day, are
  deleted (beat, daily). A failed write deletes its own files at once
  (posts/services.py); this catches what a crash between store and commit left.
- `migrate_media`: copies media from the local disk into the configured stores
  (`manage.py media_migrate`), idempotent and resumable: what the target already
  holds is skipped. Originals kept among the public files (before they had a private
  store) are moved: copied to the originals store, then deleted from the public folder.

Only string `upload_to` with date folders are swept ("notes/display/%Y/%m/"), and only
this month's and last month's folders: an orphan is left by a write that just failed,
so older folders hold none, and the sweep stays bounded however large the store grows.
"""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from posts.models import NoteVideo
from redbook.storage import OriginalsFileStorage, originals_storage

logger = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(days=1)
VIDEO_PREFIX = "videos/"  # public renditions and posters of video notes, one folder per note
NAMES_PER_QUERY = 500


@dataclass(frozen=True)
class MediaField:
    model: type[models.Model]
    name: str

    @property
    def field(self) -> models.FileField:
        return self.model._meta.get_field(self.name)

    @property
    def storage(self):
        return resolved(self.field.storage)

    @property
    def is_original(self) -> bool:
        return self.field.storage is originals_storage()

    def folder(self, when: datetime) -> str:
        return when.strftime(self.field.upload_to)


def resolved(storage):
    """The storage behind a lazy one (default_storage, originals_storage())."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def media_fields() -> list[MediaField]:
    return [
        MediaField(model, field.name)
        for model in apps.get_models()
        if not model._meta.proxy  # a proxy's rows are its concrete model's
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


# --- The orphan sweep ------------------------------------------------------------------


def _listing(storage, folder: str) -> Iterator[tuple[str, datetime]]:
    """(name, last modified) of the files directly in `folder`; S3 answers in one listing."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        prefix = storage._normalize_name(folder)
        strip = len(prefix) - len(folder)  # the store's `location` prefix
        for obj in bucket.objects.filter(Prefix=prefix):
            if "/" not in obj.key[len(prefix) :]:
                yield obj.key[strip:], obj.last_modified
        return
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file_name in files:
        name = f"{folder}{file_name}"
        yield name, storage.get_modified_time(name)


def _referenced(fields: list[MediaField], names: list[str]) -> set[str]:
    found: set[str] = set()
    for media in fields:
        for start in range(0, len(names), NAMES_PER_QUERY):
            batch = names[start : start + NAMES_PER_QUERY]
            rows = media.model._default_manager.filter(**{f"{media.name}__in": batch})
            found.update(rows.values_list(media.name, flat=True))
    return found


def _recent_folders() -> dict[tuple[int, str], tuple[object, list[MediaField]]]:
    """(store, folder) -> the fields that upload there, for this and last month.

    Django names upload folders by the local clock (`datetime.now()` in FileField)."""
    now = datetime.now()
    last_month = now.replace(day=1) - timedelta(days=1)
    folders: dict[tuple[int, str], tuple[object, list[MediaField]]] = {}
    for media in media_fields():
        if not isinstance(media.field.upload_to, str) or "%" not in media.field.upload_to:
            continue
        for when in (now, last_month):
            key = (id(media.storage), media.folder(when))
            folders.setdefault(key, (media.storage, []))[1].append(media)
    return folders


def sweep_orphans(*, older_than: timedelta = ORPHAN_AGE) -> int:
    """Delete stored files no row names and older than `older_than`; returns how many."""
    cutoff = timezone.now() - older_than
    deleted = 0
    for (_store, folder), (storage, fields) in _recent_folders().items():
        old = [name for name, modified in _listing(storage, folder) if _aware(modified) < cutoff]
        for name in sorted(set(old) - _referenced(fields, old)):
            storage.delete(name)
            deleted += 1
    if deleted:
        logger.info("media sweep: %d orphan files deleted", deleted)
    return deleted


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- The bucket ------------------------------------------------------------------------


def public_prefixes() -> list[str]:
    """The folders of public media: each public field's `upload_to` up to its date part."""
    prefixes = {
        media.field.upload_to.split("%", 1)[0]
        for media in media_fields()
        if not media.is_original and isinstance(media.field.upload_to, str)
    }
    # Video renditions and posters (posts/videos.py) are named by no file field; the
    # video originals live in the originals store, which this policy never opens.
    prefixes.add(VIDEO_PREFIX)
    return sorted(prefixes)


def public_read_policy(storage) -> dict:
    """An S3 bucket policy: anyone may GET the public renditions, nothing else; originals
    stay reachable only by presigned URL."""
    bucket = storage.bucket_name
    resources = [f"arn:aws:s3:::{bucket}/{storage._normalize_name(prefix)}*" for prefix in public_prefixes()]
    statement = {"Sid": "PublicRenditions", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    return {"Version": "2012-10-17", "Statement": [{**statement, "Resource": resources}]}


def prepare_bucket(storage) -> bool:
    """Create the public store's bucket if missing and set its policy; True if created."""
    client = storage.connection.meta.client
    created = False
    try:
        client.head_bucket(Bucket=storage.bucket_name)
    except client.exceptions.ClientError:
        client.create_bucket(Bucket=storage.bucket_name)
        created = True
    client.put_bucket_policy(Bucket=storage.bucket_name, Policy=json.dumps(public_read_policy(storage)))
    return created


# --- media_migrate ---------------------------------------------------------------------


@dataclass
class MigrationCount:
    copied: int = 0
    present: int = 0
    missing: int = 0
    unpublished: int = 0  # originals removed from the public folder


def _same_place(storage, source: FileSystemStorage) -> bool:
    return isinstance(storage, FileSystemStorage) and storage.location == source.location


def _sources(media: MediaField) -> tuple[list[FileSystemStorage], FileSystemStorage | None]:
    """Local folders that may hold this field's files, in order; and for originals, the
    public folder they must leave."""
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    if not media.is_original:
        return [public], None
    return [OriginalsFileStorage(), public], public


def field_names(media: MediaField) -> models.QuerySet:
    rows = media.model._default_manager.exclude(**{media.name: ""}).exclude(**{f"{media.name}__isnull": True})
    return rows.order_by(media.name).values_list(media.name, flat=True).distinct()


def migrate_name(media: MediaField, name: str, count: MigrationCount) -> None:
    """Copy one file into its field's store unless it is there; unpublish a public original."""
    sources, leave = _sources(media)
    if name.startswith(VIDEO_PREFIX):
        leave = None  # a video's folder is public: an old poster row named its display file
    _copy(name, media.storage, sources, leave, f"{media.model._meta.label}.{media.name}", count)


def video_files() -> Iterator[tuple[str, str, bool]]:
    """(label, name, is_original) of every file a NoteVideo row names: its original (a
    CharField in the originals store) and its renditions (JSON, public store). Posters
    are NoteImage rows, migrated with the file fields."""
    rows = NoteVideo.objects.order_by("pk").values_list("original", "renditions")
    for original, renditions in rows.iterator():
        if original:
            yield "posts.NoteVideo.original", original, True
        for rendition in renditions or []:
            if rendition.get("name"):
                yield "posts.NoteVideo.renditions", rendition["name"], False


def migrate_video_file(name: str, is_original: bool, count: MigrationCount, label: str = "posts.NoteVideo") -> None:
    """Copy one video file into its store (originals or public) unless it is there."""
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    if is_original:
        _copy(name, resolved(originals_storage()), [OriginalsFileStorage()], None, label, count)
    else:
        _copy(name, resolved(default_storage), [public], None, label, count)


def _copy(name: str, target, sources, leave, label: str, count: MigrationCount) -> None:
    if target.exists(name):
        count.present += 1
    else:
        source = next((s for s in sources if not _same_place(target, s) and s.exists(name)), None)
        if source is None:
            count.missing += 1
            logger.warning("media_migrate: %s file %s is nowhere", label, name)
            return
        with source.open(name) as content:
            saved = target.save(name, content)
        if saved != name:  # the target renamed it: the row would point nowhere
            raise RuntimeError(f"the store saved {name} as {saved}")
        count.copied += 1
    if leave is not None and not _same_place(target, leave) and leave.exists(name):
        leave.delete(name)
        count.unpublished += 1
