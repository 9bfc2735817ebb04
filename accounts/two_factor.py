"""A second factor for staff: TOTP devices (django-otp), which the admin then requires.

A staff account sets its device up on the admin's two-factor page (a QR code for an
authenticator app, confirmed by one code). From then on the admin asks for a code at
login, and a session that has not passed it is not admitted, whatever else it can do.
Accounts without a confirmed device use the admin with their password alone.
"""

import base64

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from redbook.exceptions import Invalid

DEVICE_NAME = _("Authenticator app")


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The account's confirmed device, if it turned the second factor on."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_passed(*, request) -> bool:
    """True when the account needs no second factor, or this session passed it.

    Read from the session that `django_otp.login` marks, not through django-otp's
    OTPMiddleware: that middleware installs `user.is_verified()`, which would shadow
    the verified badge (`User.is_verified`) of every signed-in request. Remembered on the
    request: the admin asks several times per page.
    """
    if not hasattr(request, "_second_factor_passed"):
        device = totp_device_confirmed(user=request.user)
        request._second_factor_passed = device is None or (
            request.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id
        )
    return request._second_factor_passed


def second_factor_require(*, user: User, otp_token: str) -> None:
    """For a sign-in outside the admin that grants an API token: an account with a confirmed
    device must send its current code too, or a stolen staff password would be enough for
    the staff powers the API has (refunds, any order)."""
    device = totp_device_confirmed(user=user)
    if device is None:
        return
    if not otp_token:
        raise Invalid(
            _("This account uses two-factor authentication: send otp_token, the code from your authenticator app."),
            code="otp_required",
        )
    if not totp_check(user=user, device=device, token=otp_token):
        raise Invalid(_("That code is not right, or has been used."), code="otp_invalid")


def totp_check(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the device's current code (django-otp throttles repeated failures)."""
    return django_otp.verify_token(user, device.persistent_id, token) is not None


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (one per account), created with a fresh key."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()  # one per account
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=str(DEVICE_NAME), confirmed=False)
    return device


def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Turn the second factor on when `token` proves the app has the key; this session passes it."""
    if device.user_id != request.user.pk or not totp_check(user=request.user, device=device, token=token):
        return False
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    django_otp.login(request, device)
    return True


def totp_device_remove(*, user: User) -> int:
    """Turn the second factor off (the admin asks for a password alone again)."""
    deleted, _by_model = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code, inline as a data: URI (no CDN, no inline style)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
