"""The cursors of every paged list, built and checked here and nowhere else.

A cursor is a small JSON object, signed with SECRET_KEY (HMAC, salted for cursors):
a client can hand back only a cursor the server made. One that is forged, tampered
with (valid base64, other contents), truncated or of fields with the wrong types is
a 400 `invalid_cursor`; no keyset value or offset a client wrote reaches a query.
DRF's CursorPagination (redbook.pagination), the feeds and search all page with it.
"""

from django.core import signing
from django.utils.translation import gettext_lazy as _

from redbook.exceptions import Invalid

SALT = "redbook.cursors"
MAX_LENGTH = 2000  # far above any cursor we make; longer is refused unread


def _signer(scope: str) -> signing.Signer:
    # Per call: SECRET_KEY is read when signing, as settings may change.
    return signing.Signer(salt=f"{SALT}:{scope}")


def cursor_encode(data: dict, *, scope: str = "") -> str:
    """Sign a cursor. `scope` names the kind of list (its ordering): a cursor made for one
    kind is refused by another, whose keyset position may be of another type."""
    return _signer(scope).sign_object(data)


def cursor_decode(
    raw: str | None, *, fields: dict[str, type], optional: tuple[str, ...] = (), scope: str = ""
) -> dict | None:
    """The cursor `raw` (None for none), made for `scope`, each field of `fields` (name -> type)
    present unless `optional` and of its type, no other field; else Invalid (400)."""
    if not raw:
        return None
    try:
        data = _signer(scope).unsign_object(raw) if len(raw) <= MAX_LENGTH else None
    except (signing.BadSignature, ValueError):
        data = None
    if (
        isinstance(data, dict)
        and set(data) <= set(fields)
        and all(_field_ok(data, name, fields[name], optional) for name in fields)
    ):
        return data
    raise Invalid(_("Invalid cursor."), code="invalid_cursor")


def _field_ok(data: dict, name: str, kind, optional: tuple[str, ...]) -> bool:
    if name not in data:
        return name in optional
    value = data[name]
    if isinstance(value, bool):  # an int to isinstance(), so only where the field says bool
        return bool in getattr(kind, "__args__", (kind,))
    return isinstance(value, kind) or (isinstance(value, int) and isinstance(1.0, kind))
