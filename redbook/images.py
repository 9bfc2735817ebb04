"""The one safe pipeline for user images (note photos, avatars, product images).

`load_image` accepts only JPEG, PNG, WebP and HEIF/HEIC, checks the byte size and the
pixel count (from the header) before decoding, refuses decompression bombs, and fully
decodes the picture so a corrupt or truncated file fails here (4xx) and not later in a
renderer (500). Decoding is what costs (a 258 KB PNG of 9400x9400 took 8 s and 1.1 GB),
so it is bounded: IMAGE_MAX_PIXELS per image as stored, IMAGE_MAX_DECODED_PIXELS per
image as decoded (a JPEG larger than its biggest rendition is decoded at 1/2, 1/4 or 1/8
scale by Pillow's `draft`), and IMAGE_MAX_PIXELS_PER_REQUEST decoded pixels per request
(`check_request_pixels`, from the headers, before any decode).
`make_rendition` produces what we serve: orientation applied, every metadata block
(EXIF with GPS, XMP, comments) dropped, only the ICC colour profile kept.
"""

import io
import tempfile
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from redbook.exceptions import Invalid, TooLarge, UnsupportedMedia

register_heif_opener()
# Pillow's own bomb check (every Image.open in the process, HEIF included): warn above
# this, fail at twice it; `_decode_errors` makes the warning a refusal too.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

# Pillow format names; `Image.open(formats=...)` tries only these decoders, so a GIF,
# a TIFF or an SVG never reaches a parser we did not choose.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
OUTPUT_EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}
ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")
# Huffman optimisation saves ~5% on a JPEG but costs 5x the encoding time on a 12 MP
# original: served sizes get it, full-resolution originals do not.
OPTIMIZE_MAX_SIDE = 2048
RENDITION_SPOOL_BYTES = 512 * 1024


@dataclass(frozen=True)
class Rendition:
    content: File
    width: int
    height: int

    @property
    def filename(self) -> str:
        """The name the content was made with (always one of `server_filename`'s)."""
        return str(self.content.name)


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
        except (Invalid, TooLarge, UnsupportedMedia):
            raise  # our own refusals, already clear
        except UnidentifiedImageError as exc:
            raise UnsupportedMedia(_("Unsupported image: upload a JPEG, PNG, WebP or HEIC photo.")) from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:  # decoders raise OSError, SyntaxError, ValueError, struct.error, ...
            raise Invalid(_("The image file is damaged or not an image."), code="invalid_image") from exc


def _check_bytes(uploaded_file) -> None:
    if _file_size(uploaded_file) > settings.MAX_UPLOAD_BYTES:
        limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise TooLarge(_("Images must be at most %(mb)s MB.") % {"mb": limit_mb})


def _too_many_pixels() -> TooLarge:
    return TooLarge(
        _("This image has too many pixels: at most %(mp)d megapixels (%(jpeg)d for JPEG photos).")
        % {"mp": settings.IMAGE_MAX_DECODED_PIXELS // 1_000_000, "jpeg": settings.IMAGE_MAX_PIXELS // 1_000_000},
        code="image_too_many_pixels",
    )


def _jpeg_scale(width: int, height: int, max_side: int | None) -> int:
    """The JPEG decoder's reduction (1, 2, 4 or 8): the largest that still covers the
    biggest rendition, and at least what keeps the decode within IMAGE_MAX_DECODED_PIXELS
    (then the biggest rendition comes out a little smaller)."""
    fitting = [s for s in (8, 4, 2) if max_side and max(width, height) // s >= max_side]
    scale = fitting[0] if fitting else 1
    while scale < 8 and (width // scale) * (height // scale) > settings.IMAGE_MAX_DECODED_PIXELS:
        scale *= 2
    return scale


def _open_header(uploaded_file, max_side: int | None) -> Image.Image:
    """Open without decoding (the header gives format and size) and refuse what would
    decode to too many pixels; a JPEG is set to decode at a reduced scale (`_jpeg_scale`)."""
    uploaded_file.seek(0)
    image = Image.open(uploaded_file, formats=ALLOWED_FORMATS)
    width, height = image.size
    if image.format == "JPEG" and width * height <= settings.IMAGE_MAX_PIXELS:
        scale = _jpeg_scale(width, height, max_side)
        if scale > 1:
            image.draft(None, (width // scale, height // scale))
    if width * height > settings.IMAGE_MAX_PIXELS or image.width * image.height > settings.IMAGE_MAX_DECODED_PIXELS:
        image.close()
        raise _too_many_pixels()
    return image


def decode_cost(uploaded_file, *, max_side: int | None = None) -> int:
    """Pixels that decoding this file for renditions up to `max_side` will produce."""
    _check_bytes(uploaded_file)
    with _decode_errors(), _open_header(uploaded_file, max_side) as header:
        return header.width * header.height


def check_request_pixels(files, *, max_side: int | None = None) -> None:
    """Refuse (413) a request whose images together would decode to more than
    IMAGE_MAX_PIXELS_PER_REQUEST, before decoding any of them."""
    total = sum(decode_cost(upload, max_side=max_side) for upload in files)
    if total > settings.IMAGE_MAX_PIXELS_PER_REQUEST:
        raise TooLarge(
            _("These images are too large together (at most %(mp)d megapixels per upload): send fewer or smaller.")
            % {"mp": settings.IMAGE_MAX_PIXELS_PER_REQUEST // 1_000_000},
            code="images_too_many_pixels",
        )


def load_image(uploaded_file, *, max_side: int | None = None) -> Image.Image:
    """Return the decoded image, or raise TooLarge / UnsupportedMedia / Invalid.

    With `max_side` (the biggest rendition the caller makes), a larger picture comes back
    reduced to fit it: a JPEG decoded at a reduced scale, and any format shrunk at once,
    so the renditions work on (and memory holds) no more than they need.
    """
    _check_bytes(uploaded_file)
    with _decode_errors():
        with _open_header(uploaded_file, None) as probe:
            probe.verify()
        # verify() leaves the image unusable: open again and decode every pixel now.
        image = _open_header(uploaded_file, max_side)
        image.load()
        if max_side and max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
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


def _fit(image: Image.Image, max_size: int) -> Image.Image:
    """`image` fitting in max_size x max_size (never upscaled), as `thumbnail` sizes it:
    a new image when it must shrink, else `image` itself."""
    if max(image.size) <= max_size:
        return image
    ratio = max_size / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def make_rendition(image: Image.Image, *, max_size: int, fmt: str, quality: int = 85) -> Rendition:
    """An oriented, metadata-free copy fitting in max_size x max_size (never upscaled)."""
    fmt = fmt.upper()
    if fmt not in OUTPUT_EXTENSIONS:
        raise ValueError(f"unsupported rendition format {fmt}")
    icc = image.info.get("icc_profile")
    # Every step that changes pixels makes a new image (never a full-size copy for nothing:
    # nine 4096 px copies pushed a nine-photo upload to 300 MB); the source is shared by the
    # caller's other renditions and must stay as it is.
    out = image
    if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        out = ImageOps.exif_transpose(image)
    if out.mode == "CMYK":
        out, icc = _cmyk_to_srgb(out, icc)
    out = _to_output_mode(out, fmt)
    out = _fit(out, max_size)
    # Encoders fall back to `info` for EXIF/XMP/comments: empty while saving so nothing
    # leaks (and given back after: `out` may be the caller's source).
    # Spooled to disk past a size: a request's renditions wait for storage without
    # piling up in memory (nine originals of 4096 px are tens of MB).
    buffer = tempfile.SpooledTemporaryFile(max_size=RENDITION_SPOOL_BYTES)  # noqa: SIM115 (the caller stores it)
    options = {"quality": quality}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG" and max(out.size) <= OPTIMIZE_MAX_SIDE:
        options.update(optimize=True, progressive=True)
    elif fmt == "WEBP":
        options["method"] = 4
    elif fmt == "PNG":
        options = {"optimize": True, **({"icc_profile": icc} if icc else {})}
    info, out.info = out.info, {}
    try:
        out.save(buffer, format=fmt, **options)
    finally:
        out.info = info
    buffer.seek(0)
    content = File(buffer, name=server_filename(OUTPUT_EXTENSIONS[fmt]))
    return Rendition(content=content, width=out.width, height=out.height)
