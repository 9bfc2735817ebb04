"""Image makers and note fixtures for the posts tests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms

from posts import services


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 60), *, exif: Image.Exif | None = None, icc=False) -> bytes:
    buffer = io.BytesIO()
    options = {}
    if exif is not None:
        options["exif"] = exif.tobytes()
    if icc:
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", size, color).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name="photo.jpg", data: bytes | None = None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if data is None else data, content_type=content_type)


def gps_exif(*, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 3.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 0.0)
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return exif


def bomb_png() -> bytes:
    """A tiny file that decodes to 144 million pixels (Pillow's limit is ~89 million)."""
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def make_note(user):
    def make(author=None, *, title="A good day", body="", images=1, **kwargs):
        files = [upload(f"p{i}.jpg") for i in range(images)]
        return services.note_create(author=author or user, title=title, body=body, images=files, **kwargs)

    return make


@pytest.fixture
def note(make_note):
    return make_note()
