"""In headless Chromium: change your password; a staff member turns on the admin's second factor."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-9"


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("width", [390, 1440])
def test_change_password_from_the_profile_settings(page_at, width):
    user = UserFactory(username=f"walker{width}")
    page = page_at(width)
    _log_in(page, user.username)

    page.goto("/accounts/profile/edit/")
    page.get_by_role("link", name="Change your password").click()
    page.wait_for_url("**/accounts/password/")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("Brand-New-Kettle-77")
    page.get_by_label("New password again").fill("Brand-New-Kettle-99")
    page.get_by_role("button", name="Change password").click()
    assert page.get_by_text("The two new passwords differ.").is_visible()
    screenshot(page, f"identity-password-error-{width}")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("Brand-New-Kettle-77")
    page.get_by_label("New password again").fill("Brand-New-Kettle-77")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/accounts/profile/edit/")
    assert page.get_by_text("Other devices have been signed out.").is_visible()
    screenshot(page, f"identity-password-changed-{width}")
    user.refresh_from_db()
    assert user.check_password("Brand-New-Kettle-77")


@pytest.mark.parametrize("width", [390, 1440])
def test_staff_turns_on_the_second_factor_and_the_admin_asks_for_it(page_at, width):
    staff = UserFactory(username=f"staff{width}", is_staff=True, is_superuser=True)
    page = page_at(width)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.get_by_role("link", name="Two-factor authentication").click()
    page.wait_for_url("**/admin/two-factor/")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 100  # the SVG rendered
    screenshot(page, f"identity-two-factor-setup-{width}")
    device = TOTPDevice.objects.get(user=staff)
    page.get_by_label("Code from the app").fill(_code(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_text("Two-factor authentication is on").is_visible()

    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Enter the code from your authenticator app.").is_visible()
    screenshot(page, f"identity-admin-login-code-{width}")
    page.get_by_label("Password").fill(PASSWORD)
    device.refresh_from_db()
    device.last_t = -1  # the code used to confirm is still the current one: let it count again here
    device.save(update_fields=["last_t"])
    page.get_by_label("Two-factor code").fill(_code(device))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Two-factor authentication").is_visible()
