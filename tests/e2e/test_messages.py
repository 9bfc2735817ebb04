"""In headless Chromium against a real daphne (ASGI: pages and /ws/) on a free port:
two people chat live in two browser contexts, and the header's unread badge updates
without a reload; at phone and desktop widths, in English and Chinese."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from playwright.sync_api import expect

from accounts.services import follow_create
from tests.conftest import requires_redis
from tests.e2e.conftest import screenshot
from tests.e2e.test_moderation import PASSWORD, log_in, watch_csp
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), requires_redis]
BASE = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def asgi_url(transactional_db):
    """daphne serving redbook.asgi on the test database and the tests' Redis."""
    if not settings.IS_POSTGRES:
        pytest.skip("the ASGI server shares the test database: Postgres only")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, "DEBUG": "1"}
    env.pop("REALTIME_WS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "redbook.asgi:application"],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)  # waiting for the server to listen, not asserting an absence
    else:
        server.kill()
        pytest.fail("daphne did not start")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def _server_login_user(username: str, name: str):
    """A user whose password the server process can check: the tests' fast MD5 hasher is
    set in this process only, the server has the production list (PBKDF2 among them)."""
    user = UserFactory(username=username, display_name=name)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


WORDS = {
    "en": {"send": "Send", "messages": "Messages"},
    "zh-hans": {"send": "发送", "messages": "私信"},
}


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (1440, "zh-hans")])
def test_two_people_chat_live_and_the_badge_updates(browser, asgi_url, width, language):
    alice = _server_login_user(f"alice{width}", "Alice")
    bob = _server_login_user(f"bob{width}", "Bob")
    follow_create(follower=alice, followee=bob)
    follow_create(follower=bob, followee=alice)
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": width, "height": 860}, base_url=asgi_url)
        context.add_cookies([{"name": "django_language", "value": language, "url": asgi_url}])
        contexts.append(context)
        return context.new_page()

    violations: list[str] = []
    alice_page, bob_page = open_page(), open_page()
    for page, user in ((alice_page, alice), (bob_page, bob)):
        watch_csp(page, violations)
        log_in(page, f"/accounts/login/?next=/u/{'bob' if user == alice else 'alice'}{width}/", user.username)

    try:
        # Bob waits on Alice's profile: his badge must move without a reload.
        expect(bob_page.locator("html[data-realtime=open]")).to_have_count(1, timeout=10_000)
        badge = bob_page.locator('.account-nav [data-badge-for="messages"] .badge')
        expect(badge).to_have_count(0)

        # Alice opens the chat from Bob's profile and sends.
        alice_page.locator(".message-start button").first.click()
        alice_page.wait_for_url("**/messages/*/")
        expect(alice_page.locator("html[data-realtime=open]")).to_have_count(1, timeout=10_000)
        alice_page.locator("#chat-body").fill("Where is this cream from?")
        alice_page.get_by_role("button", name=WORDS[language]["send"], exact=True).click()
        expect(alice_page.locator(".chat-message.is-mine .bubble-text")).to_have_text("Where is this cream from?")

        expect(badge).to_have_text("1", timeout=5_000)  # live, no reload
        chat_url = alice_page.url.replace(asgi_url, "")
        bob_page.goto(chat_url)
        expect(bob_page.locator(".chat-message")).to_have_count(1)
        expect(badge).to_have_count(0, timeout=5_000)  # reading it cleared the badge

        # Bob replies; Alice sees it without a reload, and her message shows as read.
        expect(bob_page.locator("html[data-realtime=open]")).to_have_count(1, timeout=10_000)
        bob_page.locator("#chat-body").fill("A little shop in Hangzhou 杭州")
        bob_page.locator("#chat-body").press("Enter")
        expect(alice_page.locator(".chat-message:not(.is-mine) .bubble-text")).to_have_text(
            "A little shop in Hangzhou 杭州", timeout=5_000
        )
        expect(alice_page.locator(".chat-message.is-mine [data-read]")).to_be_visible(timeout=5_000)
        screenshot(alice_page, f"messages-chat-{width}-{language}")
        bob_page.goto("/messages/")
        expect(bob_page.locator("h1")).to_have_text(WORDS[language]["messages"])
        screenshot(bob_page, f"messages-inbox-{width}-{language}")
    finally:
        for context in contexts:
            context.close()
    assert violations == []
