"""The private originals store on the local disk, and its signed short-lived URLs.

Originals (full-resolution uploads) are private: the app hands a URL to their author
and staff only (`may_see_original`), and the URL stops working after
ORIGINAL_URL_SECONDS. On S3 that is the store's own presigned URL
(redbook/media_settings.py); on the local disk `OriginalsFileStorage.url()` signs the
name with the SECRET_KEY and `serve_original` checks the signature and its age. The
folder itself is never served as files.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.functional import LazyObject, cached_property, empty

from redbook.middleware import SecurityHeadersMiddleware

_SIGNER_SALT = "redbook.originals"


class _OriginalsStorage(LazyObject):
    """storages["originals"], looked up on first use and again after STORAGES changes
    (as Django's `default_storage` is), so a field's storage follows the settings."""

    def _setup(self):
        self._wrapped = storages["originals"]


_originals = _OriginalsStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _originals._wrapped = empty


def originals_storage():
    """The "originals" store: the `storage=` of every original's FileField (a callable,
    so migrations do not depend on which backend a deployment configures)."""
    return _originals


def may_see_original(viewer, author_id: int) -> bool:
    """Originals are their author's and staff's alone."""
    return bool(viewer is not None and viewer.is_authenticated and (viewer.pk == author_id or viewer.is_staff))


def original_url(field, viewer, author_id: int) -> str | None:
    """A short-lived URL of `field`'s original for `viewer`, or None if they may not have it."""
    if not field or not may_see_original(viewer, author_id):
        return None
    return field.storage.url(field.name)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNER_SALT)


class OriginalsFileStorage(FileSystemStorage):
    """Originals on the local disk, in ORIGINALS_ROOT or MEDIA_ROOT/../originals."""

    @cached_property
    def base_location(self):
        default = settings.ORIGINALS_ROOT or Path(settings.MEDIA_ROOT).parent / "originals"
        return self._value_or_setting(self._location, default)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "ORIGINALS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        """A URL of the app's `serve_original`, valid ORIGINAL_URL_SECONDS from now."""
        signature = _signer().sign(name).removeprefix(f"{name}:")  # "timestamp:signature"
        path = reverse("original", kwargs={"name": name})
        return f"{path}?s={quote(signature)}"


def serve_original(request, name: str):
    """An original by its signed URL; 404 for a wrong or expired signature (says nothing more)."""
    signature = request.GET.get("s", "")
    try:
        _signer().unsign(f"{name}:{signature}", max_age=settings.ORIGINAL_URL_SECONDS)
        storage = originals_storage()
        response = FileResponse(storage.open(name))
    except (signing.BadSignature, SuspiciousFileOperation, FileNotFoundError, IsADirectoryError) as exc:
        raise Http404 from exc
    response.headers["Cache-Control"] = f"private, max-age={settings.ORIGINAL_URL_SECONDS}"
    SecurityHeadersMiddleware.harden_media(response)
    return response
