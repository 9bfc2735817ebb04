"""The admin site: its login is rate-limited like every other login, and asks staff who
turned the second factor on for their TOTP code (accounts/two_factor.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.validators import RegexValidator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from redbook.throttling import LoginIPThrottle, LoginThrottle, PasswordChangeThrottle, rate_limit


class AdminLoginForm(AdminAuthenticationForm):
    """Password, then the code of the account's authenticator app when it has one."""

    otp_token = forms.CharField(
        label=_("Two-factor code"),
        required=False,
        max_length=8,
        validators=[RegexValidator(r"^[0-9]{6,8}$", _("Enter the 6 digits your authenticator app shows."))],
        help_text=_("Only if you turned on two-factor authentication."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = two_factor.totp_device_confirmed(user=user) if user else None
        if device is None:
            return cleaned
        token = cleaned.get("otp_token")
        if not token:
            raise forms.ValidationError(_("Enter the code from your authenticator app."), code="token_required")
        if not two_factor.totp_check(user=user, device=device, token=token):
            raise forms.ValidationError(
                _("That code is not right, or there were too many wrong codes: wait a little and try again."),
                code="invalid_token",
            )
        user.otp_device = device  # django-otp's user_logged_in hook marks the session as verified
        return cleaned


class TwoFactorForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        validators=[RegexValidator(r"^[0-9]{6,8}$", _("Enter the 6 digits your authenticator app shows."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class RedBookAdminSite(admin.AdminSite):
    site_header = _("RedBook administration")
    site_title = _("RedBook admin")
    login_form = AdminLoginForm
    login_template = "admin/login_two_factor.html"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.second_factor_passed(request=request)

    def login(self, request, extra_context=None):
        # Attempts per username + address (forgotten on success) and per address, as at
        # /accounts/login/ and POST auth/token/: a guesser cannot lock the owner out.
        response = rate_limit(LoginIPThrottle)(rate_limit(LoginThrottle)(super().login))(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
            LoginThrottle.reset(request)
        return response

    def password_change(self, request, extra_context=None):
        limited = rate_limit(LoginIPThrottle)(rate_limit(PasswordChangeThrottle)(super().password_change))
        return limited(request, extra_context)

    def get_urls(self):
        return [path("two-factor/", self.admin_view(self.two_factor_view), name="two-factor"), *super().get_urls()]

    def two_factor_view(self, request):
        """Turn the second factor on (QR code + one code) or off, for your own account."""
        user = request.user
        device = two_factor.totp_device_confirmed(user=user)
        form = TwoFactorForm(request.POST or None)
        if request.method == "POST" and device is not None and request.POST.get("action") == "remove":
            two_factor.totp_device_remove(user=user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("admin:two-factor")
        pending = None if device is not None else two_factor.totp_device_pending(user=user)
        if request.method == "POST" and pending is not None and form.is_valid():
            if two_factor.totp_device_confirm(request=request, device=pending, token=form.cleaned_data["otp_token"]):
                messages.success(request, _("Two-factor authentication is on: the admin will ask for a code."))
                return redirect("admin:index")
            form.add_error("otp_token", _("That code is not right: check the time on your phone and try again."))
        context = {
            **self.each_context(request),
            "title": _("Two-factor authentication"),
            "device": device,
            "form": form,
            "qr_code": pending and two_factor.qr_code_data_uri(pending),
            "secret": pending and two_factor.secret_for_typing(pending),
            REDIRECT_FIELD_NAME: "",
        }
        return TemplateResponse(request, "admin/two_factor.html", context, status=400 if form.errors else 200)
