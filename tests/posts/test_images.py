"""redbook.images: the shared upload pipeline."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from redbook.exceptions import Invalid, TooLarge, UnsupportedMedia
from redbook.images import load_image, make_rendition, server_filename
from tests.posts.conftest import bomb_png, gps_exif, image_bytes


def _open(rendition) -> Image.Image:
    return Image.open(io.BytesIO(rendition.content.read()))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_allowed_formats_load(fmt):
    image = load_image(SimpleUploadedFile("x", image_bytes(fmt)))
    assert image.size == (64, 48)


def test_renditions_drop_gps_and_exif_but_keep_the_colour_profile():
    image = load_image(SimpleUploadedFile("x.jpg", image_bytes(exif=gps_exif(), icc=True)))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload really had GPS
    for fmt in ("JPEG", "WEBP", "PNG"):
        served = _open(make_rendition(image, max_size=32, fmt=fmt))
        assert not served.getexif()
        assert "exif" not in served.info and "xmp" not in served.info
        assert served.info.get("icc_profile")


def test_orientation_is_applied_before_metadata_is_dropped():
    # 64x48 stored landscape, EXIF says "rotate 90° clockwise": people see it portrait.
    image = load_image(SimpleUploadedFile("x.jpg", image_bytes(exif=gps_exif(orientation=6))))
    rendition = make_rendition(image, max_size=1000, fmt="JPEG")
    assert (rendition.width, rendition.height) == (48, 64)
    assert _open(rendition).size == (48, 64)


def test_renditions_fit_the_box_and_never_upscale():
    image = load_image(SimpleUploadedFile("x.png", image_bytes("PNG", size=(400, 100))))
    assert (make_rendition(image, max_size=200, fmt="WEBP").width, 50) == (200, 50)
    small = make_rendition(image, max_size=4000, fmt="JPEG")
    assert (small.width, small.height) == (400, 100)
    assert small.content.name.endswith(".jpg") and len(small.content.name) == 36


def test_transparent_png_flattens_for_jpeg():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    served = _open(make_rendition(load_image(io.BytesIO(buffer.getvalue())), max_size=10, fmt="JPEG"))
    assert served.mode == "RGB" and served.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"just some text, not a photo", UnsupportedMedia),
        (b"GIF89a" + b"\x00" * 40, UnsupportedMedia),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", UnsupportedMedia),
        (image_bytes()[:200], Invalid),  # truncated JPEG
        (bomb_png(), TooLarge),
    ],
)
def test_bad_files_are_refused(data, error):
    with pytest.raises(error):
        load_image(SimpleUploadedFile("photo.jpg", data))


def test_files_over_the_limit_are_refused_before_decoding(settings):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(TooLarge):
        load_image(SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * 2000))


def test_server_filenames_are_fresh():
    assert server_filename(".JPG").endswith(".jpg")
    assert server_filename("jpg") != server_filename("jpg")
