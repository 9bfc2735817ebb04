"""Page forms: shape only; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from redbook import input_fields
from redbook.exceptions import ServiceError


def _password_field(label, autocomplete: str, *, help_text="", autofocus: bool = False) -> forms.CharField:
    """A password input: never stripped, and named for the browser's password manager."""
    attrs = {"autocomplete": autocomplete, **({"autofocus": True} if autofocus else {})}
    return forms.CharField(
        label=label, max_length=128, strip=False, help_text=help_text, widget=forms.PasswordInput(attrs=attrs)
    )


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label=_("Display name"), max_length=input_fields.max_length_of(User, "display_name"), required=False
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    password = _password_field(_("Password"), "new-password", help_text=_("At least 8 characters, not too common."))
    account_type = forms.ChoiceField(
        label=_("Account type"),
        choices=User.AccountType.choices,
        initial=User.AccountType.PERSONAL,
        widget=forms.RadioSelect,
    )


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = _password_field(_("Password"), "current-password")


class PasswordChangeForm(forms.Form):
    current_password = _password_field(_("Current password"), "current-password", autofocus=True)
    new_password = _password_field(
        _("New password"), "new-password", help_text=_("At least 8 characters, not too common.")
    )
    new_password_again = _password_field(_("New password again"), "new-password")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") != cleaned.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=input_fields.max_length_of(User, "display_name"), required=False
    )
    bio = forms.CharField(
        label=_("Bio"),
        max_length=input_fields.max_length_of(User, "bio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    location = forms.CharField(
        label=_("Location"), max_length=input_fields.max_length_of(User, "location"), required=False
    )
    likes_public = forms.BooleanField(
        label=_("Show my likes on my profile"),
        required=False,
        help_text=_("Off: only you see the notes you liked."),
    )
    # A plain file field: redbook.images decides what an image is, for pages and API alike.
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("JPEG, PNG, WebP or HEIC. Location data in the photo is removed."),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic", "data-avatar-input": True}
        ),
    )


def add_service_errors(form: forms.Form, exc: Exception, *, field: str | None = None) -> None:
    """Show a service's ValidationError per field, or a ServiceError on `field`."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    elif isinstance(exc, ServiceError):
        form.add_error(field, exc.message)
    else:
        form.add_error(field, exc.messages)
