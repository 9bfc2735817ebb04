"""The embedded default: media on the local disk, originals in a private folder behind
signed short-lived URLs; and the settings that MEDIA_STORAGE_URL produces."""

from datetime import timedelta
from pathlib import Path

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from posts.models import NoteImage
from redbook.media_settings import media_storages, public_media_origin, s3_options_from_url
from redbook.storage import originals_storage
from reliability.media import sweep_orphans
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _own_note(client) -> dict:
    from tests.posts.conftest import upload

    response = client.post("/api/v1/notes/", {"title": "local", "images": [upload("a.jpg")]}, format="multipart")
    assert response.status_code == 201, response.content
    return response.json()


def test_originals_live_outside_the_public_folder_and_open_only_by_signed_url(user, settings):
    note = _own_note(client_for(user))
    image = NoteImage.objects.get(note_id=note["id"])
    on_disk = Path(settings.MEDIA_ROOT).parent / "originals" / image.original.name
    assert on_disk.exists() and not (Path(settings.MEDIA_ROOT) / image.original.name).exists()
    assert Client().get(f"/media/{image.original.name}").status_code == 404  # not a public file

    signed = note["images"][0]["original_url"].removeprefix("http://testserver")
    assert signed.startswith(f"/originals/{image.original.name}?s=")
    response = Client().get(signed)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == f"private, max-age={settings.ORIGINAL_URL_SECONDS}"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == on_disk.read_bytes()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda url: url[:-2] + ("AA" if not url.endswith("AA") else "BB"),  # a forged signature
        lambda url: url.split("?")[0],  # no signature
        lambda url: url.replace("/originals/notes/", "/originals/notes/../notes/"),  # another name
    ],
    ids=["forged", "unsigned", "other-name"],
)
def test_a_wrong_signature_is_a_404(user, tamper):
    signed = _own_note(client_for(user))["images"][0]["original_url"].removeprefix("http://testserver")
    assert Client().get(tamper(signed)).status_code == 404


def test_an_expired_original_url_is_a_404(user, settings):
    signed = _own_note(client_for(user))["images"][0]["original_url"].removeprefix("http://testserver")
    assert Client().get(signed).status_code == 200
    settings.ORIGINAL_URL_SECONDS = -1  # every signature is now older than allowed
    assert Client().get(signed).status_code == 404


def test_public_media_carries_long_cache_headers(user):
    url = _own_note(client_for(user))["images"][0]["thumb_url"].removeprefix("http://testserver")
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def _stores(**variables) -> dict:
    return media_storages(_Env(variables))


class _Env(environ.Env):
    """django-environ reading a dict instead of os.environ."""

    def __init__(self, values: dict):
        super().__init__()
        self.ENVIRON = values


def test_media_storage_url_configures_both_stores():
    stores = _stores(MEDIA_STORAGE_URL="s3://KEY:SEC%2Fret@photos?endpoint_url=http://minio:9000&region=eu-1")
    public, originals = stores["default"]["OPTIONS"], stores["originals"]["OPTIONS"]
    assert (public["bucket_name"], public["access_key"], public["secret_key"]) == ("photos", "KEY", "SEC/ret")
    assert public["custom_domain"] == "minio:9000/photos" and public["url_protocol"] == "http:"
    assert public["querystring_auth"] is False and "immutable" in public["object_parameters"]["CacheControl"]
    assert originals["location"] == "originals" and originals["querystring_auth"] is True
    assert originals["querystring_expire"] == 300 and "custom_domain" not in originals
    assert public_media_origin(stores) == "http://minio:9000"


def test_a_cdn_and_aws_settings():
    stores = _stores(AWS_STORAGE_BUCKET_NAME="photos", MEDIA_PUBLIC_URL="https://cdn.example.com/m/")
    assert stores["default"]["OPTIONS"]["custom_domain"] == "cdn.example.com/m"
    assert public_media_origin(stores) == "https://cdn.example.com"
    local = _stores()
    assert local["originals"]["BACKEND"] == "redbook.storage.OriginalsFileStorage"
    assert public_media_origin(local) is None


def test_a_malformed_media_storage_url_fails_at_startup():
    with pytest.raises(ValueError, match="s3://bucket"):
        s3_options_from_url("http://photos")


def test_the_sweep_on_the_local_disk(user):
    note = _own_note(client_for(user))
    image = NoteImage.objects.get(note_id=note["id"])
    public_orphan = default_storage.save(image.thumb.name.rsplit("/", 1)[0] + "/x.webp", ContentFile(b"x"))
    private_orphan = originals_storage().save(image.original.name.rsplit("/", 1)[0] + "/x.jpg", ContentFile(b"x"))
    assert sweep_orphans() == 0
    assert sweep_orphans(older_than=timedelta(0)) == 2
    assert not default_storage.exists(public_orphan) and not originals_storage().exists(private_orphan)
    assert all(f.storage.exists(f.name) for f in (image.original, image.display, image.thumb))
