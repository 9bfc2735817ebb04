"""The admin: its login is rate-limited, and staff who turn on TOTP must pass it to get in."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


def code(device: TOTPDevice, *, offset: int = 0) -> str:
    """The device's current code, computed from its key as an authenticator app does."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_staff=True, is_superuser=True)


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def admin_login(client: Client, user, *, password=PASSWORD, otp_token="", **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": password, "otp_token": otp_token, "next": "/admin/"},
        **extra,
    )


def in_admin(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


# --- Staff without a device: the password is enough ------------------------------------------


def test_staff_without_a_device_logs_in_with_the_password(client, staff):
    assert admin_login(client, staff).status_code == 302
    assert in_admin(client)


# --- Staff with a confirmed device: the code is required ----------------------------------


def test_a_staff_member_with_a_device_needs_the_code(client, staff, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code below (tested on its own)
    refused = admin_login(client, staff)

    assert refused.status_code == 200 and not in_admin(client)
    assert "code from your authenticator app" in refused.content.decode()
    assert admin_login(client, staff, otp_token="000000" if code(device) != "000000" else "111111").status_code == 200
    assert not in_admin(client)
    assert admin_login(client, staff, otp_token=code(device)).status_code == 302
    assert in_admin(client)


def test_a_session_that_skipped_the_second_factor_is_not_admitted(client, staff, device):
    """Signed in by the site's own login page (password only): the admin still wants the code."""
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert client.get("/api/v1/me/").status_code == 200

    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302
    assert client.get("/admin/two-factor/").status_code == 302  # nor turn it off


def test_a_used_code_cannot_be_replayed(client, staff, device):
    current = code(device)
    assert admin_login(client, staff, otp_token=current).status_code == 302

    assert admin_login(Client(), staff, otp_token=current).status_code == 200


def test_after_a_wrong_code_even_the_right_one_waits(client, staff, device):
    """django-otp's own throttle: each failure doubles the pause, so codes cannot be enumerated."""
    wrong = "000000" if code(device) != "000000" else "111111"
    assert admin_login(client, staff, otp_token=wrong).status_code == 200

    assert admin_login(client, staff, otp_token=code(device)).status_code == 200
    assert not in_admin(client)


@pytest.mark.parametrize("token", ["12345", "１２３４５６", "12345a", "1" * 40])
def test_a_malformed_code_is_a_form_error(client, staff, device, token):
    response = admin_login(client, staff, otp_token=token)

    assert response.status_code == 200 and response.context["form"].errors
    assert not in_admin(client)


# --- The login is rate-limited like the others --------------------------------------------


def test_admin_login_guesses_are_throttled_without_locking_the_owner_out(staff, day_long_login_window):
    guesser = Client(REMOTE_ADDR="6.6.6.6")
    statuses = [admin_login(guesser, staff, password=f"guess-{i}").status_code for i in range(7)]

    assert statuses[0] == 200 and statuses[-1] == 429
    assert admin_login(guesser, staff).status_code == 429  # even the right password, from there

    owner = Client(REMOTE_ADDR="1.2.3.4")
    assert admin_login(owner, staff).status_code == 302


def test_wrong_codes_count_as_failed_logins(staff, device, day_long_login_window):
    guesser = Client(REMOTE_ADDR="6.6.6.6")
    statuses = [admin_login(guesser, staff, otp_token=f"{i:06d}").status_code for i in range(7)]

    assert statuses[-1] == 429


# --- Setting a device up ------------------------------------------------------------------


def test_staff_turns_the_second_factor_on_and_off(client, staff, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert admin_login(client, staff).status_code == 302

    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<img src="data:image/svg\+xml;base64,', html)  # the QR code, no CDN, no inline style
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.get("/admin/two-factor/").status_code == 200
    assert TOTPDevice.objects.filter(user=staff).count() == 1  # one pending device, not one per visit

    wrong = client.post("/admin/two-factor/", {"otp_token": "000000" if code(pending) != "000000" else "111111"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.post("/admin/two-factor/", {"otp_token": code(pending)}).status_code == 302
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert in_admin(client)  # this session passed the second factor while confirming

    other_browser = Client()
    assert admin_login(other_browser, staff).status_code == 200 and not in_admin(other_browser)

    assert client.post("/admin/two-factor/", {"action": "remove"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert admin_login(Client(), staff).status_code == 302


def test_the_admin_lists_devices_without_their_keys(client, staff, device):
    assert admin_login(client, staff, otp_token=code(device)).status_code == 302

    listing = client.get("/admin/otp_totp/totpdevice/")
    detail = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")

    assert listing.status_code == 200 and "phone" in listing.content.decode()
    assert detail.status_code == 200 and device.key not in detail.content.decode()


def test_non_staff_cannot_reach_the_setup_page(client, user):
    client.force_login(user)

    assert client.get("/admin/two-factor/").status_code == 302
    assert not TOTPDevice.objects.exists()


def test_the_second_factor_leaves_the_verified_badge_of_a_session_user_alone(client, staff, device):
    """django-otp's middleware would install `user.is_verified()` over the badge field."""
    staff.is_verified = True
    staff.save(update_fields=["is_verified"])
    client.force_login(staff)
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["is_verified"] is True
    assert client.get(f"/api/v1/users/{staff.username}/").json()["is_verified"] is True


def test_an_api_token_for_an_account_with_a_device_needs_the_code(staff, device):
    """Else a stolen staff password would reach the staff powers of the API without the code."""
    api = APIClient()
    url = "/api/v1/auth/token/"
    without = api.post(url, {"username": staff.username, "password": PASSWORD}, format="json")
    assert without.status_code == 400 and without.json()["code"] == "otp_required"
    assert not ApiToken.objects.filter(user=staff).exists()
    right = api.post(url, {"username": staff.username, "password": PASSWORD, "otp_token": code(device)}, format="json")
    assert right.status_code == 200 and right.json()["token"]
    wrong = api.post(url, {"username": staff.username, "password": PASSWORD, "otp_token": "000000"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_an_account_without_a_device_gets_a_token_with_its_password(staff):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": staff.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
