"""The one safe pipeline for user images (note photos, avatars, product images).

`load_image` accepts only JPEG, PNG, WebP and HEIF/HEIC, checks the byte size before
decoding, refuses decompression bombs, and fully decodes the picture so a corrupt or
truncated file fails here (4xx) and not later in a renderer (500).
`make_rendition` produces what we serve: orientation applied, every metadata block
(EXIF with GPS, XMP, comments) dropped, only the ICC colour profile kept.
"""

import io
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from redbook.exceptions import Invalid, TooLarge, UnsupportedMedia

register_heif_opener()

# Pillow format names; `Image.open(formats=...)` tries only these decoders, so a GIF,
# a TIFF or an SVG never reaches a parser we did not choose.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
OUTPUT_EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}
ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")
# Huffman optimisation saves ~5% on a JPEG but costs 5x the encoding time on a 12 MP
# original: served sizes get it, full-resolution originals do not.
OPTIMIZE_MAX_SIDE = 2048


@dataclass(frozen=True)
class Rendition:
    content: ContentFile
    width: int
    height: int


def server_filename(ext: str) -> str:
    """A fresh name we choose: user file names never reach the storage."""
    return f"{uuid.uuid4().hex}.{ext.lstrip('.').lower()}"


def _file_size(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    return size


@contextmanager
def _decode_errors():
    """Map everything a decoder can raise to our 4xx errors."""
    with warnings.catch_warnings():
        # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that; we refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except UnidentifiedImageError as exc:
            raise UnsupportedMedia(_("Unsupported image: upload a JPEG, PNG, WebP or HEIC photo.")) from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise TooLarge(_("The image has too many pixels."), code="image_too_many_pixels") from exc
        except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError, struct.error, ...
            raise Invalid(_("The image file is damaged or not an image."), code="invalid_image") from exc


def load_image(uploaded_file) -> Image.Image:
    """Return the fully decoded image, or raise TooLarge / UnsupportedMedia / Invalid."""
    if _file_size(uploaded_file) > settings.MAX_UPLOAD_BYTES:
        limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise TooLarge(_("Images must be at most %(mb)s MB.") % {"mb": limit_mb})
    with _decode_errors():
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=ALLOWED_FORMATS) as probe:
            probe.verify()
        # verify() leaves the image unusable: open again and decode every pixel now.
        uploaded_file.seek(0)
        image = Image.open(uploaded_file, formats=ALLOWED_FORMATS)
        image.load()
    return image


def _to_output_mode(image: Image.Image, fmt: str) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    has_alpha = image.mode in ALPHA_MODES
    if fmt == "JPEG":
        if has_alpha:
            # JPEG has no alpha: flatten onto white like a viewer would show it.
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if has_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def _cmyk_to_srgb(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """Convert CMYK through its own profile; the CMYK profile cannot follow RGB pixels."""
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
            return converted, None
        except (ImageCms.PyCMSError, OSError):
            pass
    return image.convert("RGB"), None


def make_rendition(image: Image.Image, *, max_size: int, fmt: str, quality: int = 85) -> Rendition:
    """An oriented, metadata-free copy fitting in max_size x max_size (never upscaled)."""
    fmt = fmt.upper()
    if fmt not in OUTPUT_EXTENSIONS:
        raise ValueError(f"unsupported rendition format {fmt}")
    icc = image.info.get("icc_profile")
    out = ImageOps.exif_transpose(image)
    if out.mode == "CMYK":
        out, icc = _cmyk_to_srgb(out, icc)
    out = _to_output_mode(out, fmt)
    if out is image:
        out = image.copy()
    out.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
    # Encoders fall back to `info` for EXIF/XMP/comments: empty it so nothing leaks.
    out.info = {}
    buffer = io.BytesIO()
    options = {"quality": quality}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG" and max(out.size) <= OPTIMIZE_MAX_SIDE:
        options.update(optimize=True, progressive=True)
    elif fmt == "WEBP":
        options["method"] = 4
    elif fmt == "PNG":
        options = {"optimize": True, **({"icc_profile": icc} if icc else {})}
    out.save(buffer, format=fmt, **options)
    content = ContentFile(buffer.getvalue(), name=server_filename(OUTPUT_EXTENSIONS[fmt]))
    return Rendition(content=content, width=out.width, height=out.height)
