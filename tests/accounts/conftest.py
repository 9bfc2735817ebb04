import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def make_jpeg(*, size=(600, 300), orientation: int | None = None, gps: bool = False, name="photo.jpg"):
    """A real JPEG upload, optionally with an EXIF orientation and a GPS block."""
    image = Image.new("RGB", size, (255, 36, 66))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def jpeg():
    return make_jpeg


@pytest.fixture
def day_long_login_window(settings):
    """The default login rate (5 per 15 minutes) over a day-long window: no window edge within a test."""
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "login": "5/day"}
    settings.REST_FRAMEWORK = rest
