"""Decode cost is bounded: pixels per image (as stored and as decoded), pixels per
request, JPEGs decoded at a reduced scale, and a nine-photo upload's peak memory."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from posts.models import Note, NoteImage
from redbook.exceptions import TooLarge
from redbook.images import decode_cost, load_image
from shop.models import Product
from tests.conftest import client_for, requires_postgres
from tests.posts.conftest import image_bytes

ROOT = Path(__file__).resolve().parents[2]
PHONE_50MP = (8660, 5773)  # the largest photo accepted: 49.99 megapixels


def _flat(fmt: str, size: tuple[int, int]) -> bytes:
    """A large picture that compresses to little: what a decode-cost attack sends."""
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(
        buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {})
    )
    return buffer.getvalue()


def _upload(data: bytes, name="p.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(scope="module")
def bomb_9400() -> bytes:
    """The 9400x9400 PNG of the report (about 270 KB, 88 megapixels)."""
    buffer = io.BytesIO()
    Image.new("RGB", (9400, 9400), (200, 30, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_pixel_bomb_is_413_for_notes_avatars_and_products(api_client, user, brand, bomb_9400):
    response = api_client.post("/api/v1/notes/", {"title": "x", "images": [_upload(bomb_9400)]}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "image_too_many_pixels"
    assert "megapixels" in response.json()["detail"]
    avatar = api_client.patch("/api/v1/me/", {"avatar": _upload(bomb_9400)}, format="multipart")
    assert avatar.status_code == 413 and avatar.json()["code"] == "image_too_many_pixels"
    product = client_for(brand).post(
        "/api/v1/products/",
        {
            "name": "Pic",
            "variants": json.dumps([{"name": "a", "price": "1.00", "stock": 1}]),
            "images": [_upload(bomb_9400)],
        },
        format="multipart",
    )
    assert product.status_code == 413 and product.json()["code"] == "image_too_many_pixels"
    user.refresh_from_db()
    assert not Note.objects.exists() and not Product.objects.exists() and not user.avatar


def test_pillow_refuses_bombs_in_every_decoder():
    assert Image.MAX_IMAGE_PIXELS == 50_000_000


def test_formats_decoded_in_full_have_a_lower_cap_than_jpeg(settings):
    settings.IMAGE_MAX_DECODED_PIXELS = 2_000_000
    big = (2000, 1500)  # 3 megapixels
    for fmt in ("PNG", "WEBP", "HEIF"):
        with pytest.raises(TooLarge) as refused:
            load_image(_upload(_flat(fmt, big)), max_side=1000)
        assert refused.value.code == "image_too_many_pixels", fmt
    # A JPEG decodes at half scale (0.75 MP), within the cap.
    image = load_image(_upload(_flat("JPEG", big), "p.jpg", "image/jpeg"), max_side=1000)
    assert image.size == (1000, 750)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale():
    data = _flat("JPEG", (8000, 6000))
    assert decode_cost(_upload(data, "p.jpg"), max_side=4096) == 4000 * 3000  # 25 MP decoded at most
    assert decode_cost(_upload(data, "p.jpg"), max_side=1080) == 2000 * 1500
    assert decode_cost(_upload(data, "p.jpg"), max_side=400) == 1000 * 750
    image = load_image(_upload(data, "p.jpg"), max_side=1080)
    assert image.size == (1080, 810)


@pytest.mark.django_db
def test_too_many_pixels_in_one_request_is_413_before_decoding(api_client, settings):
    settings.IMAGE_MAX_PIXELS_PER_REQUEST = 64 * 48 * 2
    images = [_upload(image_bytes(), f"{i}.jpg", "image/jpeg") for i in range(3)]
    response = api_client.post("/api/v1/notes/", {"title": "x", "images": images}, format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "images_too_many_pixels"
    assert not Note.objects.exists() and not NoteImage.objects.exists()
    two = [_upload(image_bytes(), f"{i}.jpg", "image/jpeg") for i in range(2)]
    assert api_client.post("/api/v1/notes/", {"title": "x", "images": two}, format="multipart").status_code == 201


_UPLOAD_NINE = """
import sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from accounts.models import User

user_id, photo = int(sys.argv[1]), sys.argv[2]
client = Client()
client.force_login(User.objects.get(pk=user_id))
data = open(photo, "rb").read()
images = [SimpleUploadedFile(f"p{i}.jpg", data, content_type="image/jpeg") for i in range(9)]
response = client.post("/api/v1/notes/", {"title": "Nine", "images": images})
# VmHWM: this process's own peak. ru_maxrss would also count the parent's memory, which
# the kernel carries over the fork/exec of subprocess.
peak_kb = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(response.status_code, len(response.json().get("images", [])), peak_kb)
"""


def _child_env() -> dict:
    url = urlsplit(os.environ["DATABASE_URL"])
    name = connection.settings_dict["NAME"]
    return {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}")), "DEBUG": "1"}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_nine_maximum_size_photos_stay_under_300_mb(user, tmp_path, settings):
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(_flat("JPEG", PHONE_50MP))
    result = subprocess.run(
        [sys.executable, "-c", _UPLOAD_NINE, str(user.pk), str(photo)],
        cwd=ROOT,
        env={**_child_env(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    status, images, peak_kb = result.stdout.split()
    assert (status, images) == ("201", "9")
    # The whole process (Django included), as the child measured itself.
    assert int(peak_kb) / 1024 < 300, f"peak {int(peak_kb) / 1024:.0f} MB"
    note = Note.objects.get(title="Nine")
    assert note.images.count() == 9
    assert max(note.images.first().original.width, note.images.first().original.height) <= 4096
