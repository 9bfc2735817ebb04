"""No account enumeration from login, sign-up or password reset; the password policy."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail

pytestmark = pytest.mark.django_db


def test_api_login_says_the_same_for_unknown_users_and_wrong_passwords(anon_client, user):
    unknown = anon_client.post("/api/v1/auth/token/", {"username": "nobody-at-all", "password": "x-long-pass-1"})
    wrong = anon_client.post("/api/v1/auth/token/", {"username": user.username, "password": "x-long-pass-1"})

    assert unknown.status_code == wrong.status_code == 400
    assert unknown.json() == wrong.json()


def without_tokens(html: str) -> str:
    """A page minus its per-request CSRF tokens (64 random characters each)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


def test_the_login_page_says_the_same_for_unknown_users_and_wrong_passwords(client, user):
    def page(username):
        html = client.post("/accounts/login/", {"username": username, "password": "x-long-pass-1"}).content.decode()
        return without_tokens(html).replace(username, "USERNAME")

    assert page("nobody-at-all") == page(user.username)


def test_sign_up_does_not_reveal_which_emails_have_accounts(anon_client, user):
    response = anon_client.post(
        "/api/v1/auth/register/", {"username": "fresh1", "password": "Sunny-Day-42", "email": user.email}
    )

    assert response.status_code == 201  # an email is not an identifier here: nothing to learn


def test_password_reset_answers_the_same_for_known_and_unknown_emails(client, user):
    known = client.post("/accounts/password-reset/", {"email": user.email}, follow=True)
    unknown = client.post("/accounts/password-reset/", {"email": "ghost@example.com"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known.content.decode()) == without_tokens(unknown.content.decode())
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_password_reset_end_to_end_enforces_the_policy(client, user):
    client.post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()

    done = client.post(form_url, {"new_password1": "Brand-New-Sunrise-7", "new_password2": "Brand-New-Sunrise-7"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-New-Sunrise-7")
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("83927461", "entirely numeric"),
        ("fresh2user", "similar"),
    ],
)
def test_sign_up_enforces_the_password_policy(anon_client, password, error):
    response = anon_client.post("/api/v1/auth/register/", {"username": "fresh2user", "password": password})

    assert response.status_code == 400
    assert error in " ".join(response.json()["password"])


def test_passwords_are_hashed_with_argon2_in_production():
    # tests/conftest.py swaps in a fast hasher for speed; production settings use Argon2 first.
    from redbook import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher().encode("x-long-pass-1", Argon2PasswordHasher().salt()).startswith("argon2$")
    names = [v["NAME"].rsplit(".", 1)[1] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= set(names)
