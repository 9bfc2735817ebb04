"""In headless Chromium: a user reports a note, a moderator hides it in the admin,
the note is gone for everyone else; no page breaks the Content-Security-Policy."""

import pytest

from moderation.models import AuditLogEntry, ModerationCase
from posts import services as posts_services
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.moderation.conftest import ensure_moderators_group
from tests.posts.conftest import upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-9"  # tests.factories.UserFactory


def log_in(page, path: str, username: str) -> None:
    page.goto(path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def watch_csp(page, violations: list) -> None:
    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


@pytest.mark.parametrize("width", [390, 1440])
def test_report_hide_in_admin_and_gone_for_others(page_at, width):
    author = UserFactory(username=f"author{width}")
    reporter = UserFactory(username=f"reporter{width}")
    moderator = UserFactory(username=f"mod{width}", is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    note = posts_services.note_create(author=author, title="Miracle cream", body="Paid review", images=[upload()])
    violations: list[str] = []

    # The reporter reports the note from its page.
    page = page_at(width)
    watch_csp(page, violations)
    log_in(page, "/accounts/login/", reporter.username)
    page.goto(f"/notes/{note.pk}/")
    page.get_by_role("link", name="Report this note").click()
    page.wait_for_url("**/report/note/**")
    page.get_by_label("Fake review").check()
    page.get_by_label("Anything we should know? (optional)").fill("The brand paid for this.")
    screenshot(page, f"moderation-report-{width}")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(f"**/notes/{note.pk}/")
    assert page.get_by_text("Our moderators will review your report.").is_visible()

    # A moderator (staff, not superuser) takes it down from the queue in the admin.
    admin = page_at(width)
    watch_csp(admin, violations)
    log_in(admin, "/admin/login/", moderator.username)
    admin.goto("/admin/moderation/moderationcase/")
    assert admin.get_by_text("Miracle cream").first.is_visible()
    assert admin.get_by_text("Fake review × 1").is_visible()
    screenshot(admin, f"moderation-queue-{width}")
    case = ModerationCase.objects.get()
    admin.goto(f"/admin/moderation/moderationcase/{case.pk}/change/")
    admin.get_by_label("Decision").select_option("actioned")
    admin.locator("form.moderation-decision input[name=reason]").fill("Undisclosed paid review")
    admin.get_by_role("button", name="Apply decision").click()
    admin.wait_for_url("**/admin/moderation/moderationcase/")
    assert admin.get_by_text("1 case decided.").is_visible()
    admin.goto("/admin/moderation/auditlogentry/")
    assert admin.get_by_text("Undisclosed paid review").is_visible()

    # Gone for others (anonymous and signed in), still there for its author.
    viewer = page_at(width)
    watch_csp(viewer, violations)
    assert viewer.goto(f"/notes/{note.pk}/").status == 404
    viewer.goto("/")
    assert viewer.get_by_text("Miracle cream").count() == 0
    assert page.goto(f"/notes/{note.pk}/").status == 404
    own = page_at(width)
    log_in(own, "/accounts/login/", author.username)
    assert own.goto(f"/notes/{note.pk}/").status == 200

    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action) == (moderator, AuditLogEntry.Action.HIDE_NOTE)
    assert violations == []


def test_pages_and_api_docs_work_under_the_content_security_policy(page_at, live_server):
    author = UserFactory(username="cspauthor")
    note = posts_services.note_create(author=author, title="Policy check", body="#csp", images=[upload()])
    violations: list[str] = []
    page = page_at(1440)
    watch_csp(page, violations)
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))

    for path in ["/", "/follow/", "/nearby/", "/shop/", "/search/?q=Policy", f"/notes/{note.pk}/", "/u/cspauthor/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    log_in(page, "/accounts/login/", author.username)
    page.goto("/notes/new/")
    page.wait_for_load_state("networkidle")

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    assert page.locator(".swagger-ui .opblock").count() > 20  # the whole API is listed
    assert violations == []
