"""Media on an S3-compatible store (moto's server on loopback): upload -> serve -> signed
original -> no orphans -> sweep -> media_migrate."""

import io
import shutil
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from rest_framework.test import APIClient

from posts import services
from posts.models import Note, NoteImage
from redbook.storage import originals_storage
from reliability.media import sweep_orphans
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import upload

pytestmark = pytest.mark.django_db


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET from the store itself over HTTP, as a browser would (no credentials)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {}, b""


def post_note(client, *files) -> dict:
    response = client.post("/api/v1/notes/", {"title": "on s3", "images": list(files)}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_renditions_are_public_with_long_cache_and_served_by_the_store(bucket, user):
    image = post_note(client_for(user), upload("a.jpg"))["images"][0]
    for key in ("url", "thumb_url"):
        assert image[key].startswith(f"{bucket.client.meta.endpoint_url}/{bucket.name}/notes/"), image[key]
        status, headers, body = fetch(image[key])
        assert status == 200
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        assert headers["content-type"] in ("image/jpeg", "image/webp")
        Image.open(io.BytesIO(body)).verify()


def test_originals_are_private_signed_and_short_lived(bucket, user, settings):
    note = post_note(client_for(user), upload("a.jpg"))
    original = NoteImage.objects.get(note_id=note["id"]).original.name
    # Stored under the private prefix, never among the public renditions.
    keys = bucket.keys()
    assert f"originals/{original}" in keys and original not in keys
    assert bucket.head(f"originals/{original}")["CacheControl"].startswith("private")

    own = note["images"][0]["original_url"]
    assert "X-Amz-Signature=" in own and f"X-Amz-Expires={settings.ORIGINAL_URL_SECONDS}" in own
    status, _headers, body = fetch(own)
    assert status == 200 and Image.open(io.BytesIO(body)).size == (64, 48)
    assert fetch(own.split("?", 1)[0])[0] == 403  # the same object unsigned: refused by the store

    others = client_for(UserFactory()).get(f"/api/v1/notes/{note['id']}/").json()
    assert others["images"][0]["original_url"] is None
    anonymous = APIClient().get(f"/api/v1/notes/{note['id']}/").json()
    assert anonymous["images"][0]["original_url"] is None
    staff = client_for(UserFactory(is_staff=True)).get(f"/api/v1/notes/{note['id']}/").json()
    assert "X-Amz-Signature=" in staff["images"][0]["original_url"]


def test_a_failed_note_creation_leaves_no_file_in_the_store(bucket, user, monkeypatch):
    def index_fails(**kwargs):
        raise RuntimeError("the last step of the transaction fails")

    monkeypatch.setattr(services.signals.note_changed, "send", index_fails)  # its last step
    with pytest.raises(RuntimeError):
        services.note_create(author=user, title="t", images=[upload("a.jpg"), upload("b.jpg")])
    assert not Note.objects.exists()
    assert bucket.keys() == set()


def test_a_failed_edit_leaves_no_new_file_and_keeps_the_old_ones(bucket, user, monkeypatch):
    note = services.note_create(author=user, title="t", images=[upload("a.jpg")])
    before = bucket.keys()
    monkeypatch.setattr(services.signals.note_changed, "send", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.note_update(note=note, editor=user, images=[upload("b.jpg")])
    assert bucket.keys() == before and len(before) == 3


def test_the_sweep_removes_only_unreferenced_files_older_than_its_age(bucket, user):
    note = services.note_create(author=user, title="t", images=[upload("a.jpg")])
    stored = NoteImage.objects.get(note=note)
    folder = stored.display.name.rsplit("/", 1)[0]
    orphan = default_storage.save(f"{folder}/orphan.jpg", ContentFile(b"left by a crash"))
    private_orphan = originals_storage().save(
        f"{stored.original.name.rsplit('/', 1)[0]}/orphan.jpg", ContentFile(b"left by a crash")
    )
    assert sweep_orphans() == 0  # everything is younger than a day
    assert sweep_orphans(older_than=timedelta(0)) == 2
    assert not default_storage.exists(orphan) and not originals_storage().exists(private_orphan)
    for field in (stored.original, stored.display, stored.thumb):
        assert field.storage.exists(field.name)


def _local_world(settings, user) -> tuple[list[NoteImage], Path]:
    """Notes stored on the local disk, one with its original still among the public
    files (where originals were kept before they had a store of their own)."""
    local = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "originals": {"BACKEND": "redbook.storage.OriginalsFileStorage"},
    }
    saved_stores = settings.STORAGES
    settings.STORAGES = {**saved_stores, **local}
    notes = [services.note_create(author=user, title=f"n{i}", images=[upload("a.jpg")]) for i in range(3)]
    user.avatar.save("avatar.jpg", ContentFile(b"an avatar"))
    images = list(NoteImage.objects.filter(note__in=notes))
    legacy = Path(settings.MEDIA_ROOT) / images[0].original.name
    legacy.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(originals_storage().path(images[0].original.name), legacy)
    settings.STORAGES = saved_stores
    return images, legacy


def test_media_migrate_copies_everything_once_and_unpublishes_originals(bucket, user, settings, capsys):
    images, legacy = _local_world(settings, user)
    call_command("media_migrate", "--no-progress")
    assert "copied 10, already there 0" in capsys.readouterr().out  # 3 x (original, display, thumb) + the avatar
    keys = bucket.keys()
    for image in images:
        assert f"originals/{image.original.name}" in keys
        assert {image.display.name, image.thumb.name} <= keys
    user.refresh_from_db()
    assert user.avatar.name in keys
    assert not legacy.exists()  # the original left the public folder

    call_command("media_migrate", "--no-progress")  # idempotent
    assert "copied 0, already there 10" in capsys.readouterr().out

    bucket.client.delete_object(Bucket=bucket.name, Key=images[1].display.name)  # as if interrupted
    call_command("media_migrate", "--no-progress")
    assert "copied 1, already there 9" in capsys.readouterr().out
    status, _headers, _body = fetch(default_storage.url(images[1].display.name))
    assert status == 200


def test_media_migrate_on_the_local_disk_moves_public_originals_to_the_private_folder(user, settings, capsys):
    images, legacy = _local_world(settings, user)
    call_command("media_migrate", "--no-progress")
    assert "copied 1, already there 9, originals removed from public media 1, missing 0" in capsys.readouterr().out
    assert not legacy.exists() and originals_storage().exists(images[0].original.name)
