"""Issue 13 item 1: mass reports suspend nobody. A report weighs what its reporter has
earned; auto-hide reads the total weight; accounts and staff are never auto-actioned;
many reports from new accounts flag a report ring in the queue."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import AuditLogEntry, ModerationCase, Report
from moderation.weights import reporter_weight
from posts.models import Note
from shop.models import Product
from tests.conftest import client_for, requires_postgres
from tests.factories import BrandFactory, UserFactory
from tests.moderation.conftest import trusted_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"
QUEUE = "admin:moderation_moderationcase_changelist"


def report(reporter, target_type, target_id, reason="spam"):
    return services.report_create(reporter=reporter, target_type=target_type, target_id=str(target_id), reason=reason)


def test_a_brand_new_account_weighs_little_and_an_established_one_weighs_one():
    newcomer = UserFactory()
    established = trusted_user()

    assert reporter_weight(newcomer) == pytest.approx(0.025)
    assert reporter_weight(established) == pytest.approx(1.0)


def test_a_month_of_age_matters_more_than_posting(db):
    week_old = UserFactory(date_joined=timezone.now() - timedelta(days=7), notes_count=50)

    assert 0.2 < reporter_weight(week_old) < 0.3  # 7/30 of the age factor, fully active


def test_upheld_reports_add_weight_and_dismissed_ones_take_it_away(moderator):
    accurate, careless = trusted_user(), trusted_user()
    for i in range(4):
        upheld = Note.objects.create(author=UserFactory(), title=f"spam {i}")
        report(accurate, "note", upheld.pk)
        services.target_take_down(target_type="note", target_id=upheld.pk, moderator=moderator)
        fine = Note.objects.create(author=UserFactory(), title=f"fine {i}")
        report(careless, "note", fine.pk)
        services.case_dismiss(case=ModerationCase.objects.get(target_id=fine.pk), moderator=moderator)

    # (4 + 1) / (4 + 2) upheld: 0.25 + 1.5 * 5/6; (0 + 1) / (4 + 2): 0.25 + 1.5 / 6
    assert reporter_weight(accurate) == pytest.approx(1.5)
    assert reporter_weight(careless) == pytest.approx(0.5)


def test_five_new_accounts_hide_nothing_and_flag_a_ring(note):
    for reporter in UserFactory.create_batch(5):
        report(reporter, "note", note.pk)

    case = ModerationCase.objects.get()
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert (case.report_count, case.new_account_reports) == (5, 5)
    assert case.report_weight == pytest.approx(5 * 0.025)
    assert case.ring_suspected and not case.auto_hidden
    assert not AuditLogEntry.objects.exists()


def test_weighty_reports_still_hide_a_note_until_review(note, reporters):
    for reporter in reporters[:5]:
        report(reporter, "note", note.pk)

    case = ModerationCase.objects.get()
    assert Note.objects.get(pk=note.pk).is_hidden
    assert case.auto_hidden and case.report_weight == pytest.approx(5.0) and not case.ring_suspected
    assert AuditLogEntry.objects.get().action == AuditLogEntry.Action.AUTO_HIDE


def test_a_few_new_accounts_among_many_established_ones_are_no_ring(note, reporters):
    for reporter in [*reporters[:4], *UserFactory.create_batch(3)]:
        report(reporter, "note", note.pk)

    assert not ModerationCase.objects.get().ring_suspected


@pytest.mark.parametrize(
    "make_target",
    [
        pytest.param(lambda: UserFactory(), id="user"),
        pytest.param(lambda: UserFactory(is_staff=True), id="staff"),
        pytest.param(lambda: UserFactory(is_staff=True, is_superuser=True), id="superuser"),
        pytest.param(lambda: BrandFactory(), id="brand"),
    ],
)
def test_no_weight_of_reports_suspends_an_account(make_target, reporters):
    target = make_target()
    product = Product.objects.create(brand=target, name="Rose serum") if target.is_brand else None

    for reporter in reporters:  # six established reporters: weight 6, over the threshold
        report(reporter, "user", target.username)

    target.refresh_from_db()
    case = ModerationCase.objects.get()
    assert not target.is_suspended and target.is_active
    assert case.status == ModerationCase.Status.OPEN and not case.auto_hidden  # waiting in the queue
    assert case.report_weight == pytest.approx(6.0)
    assert not AuditLogEntry.objects.exists()
    if product is not None:  # the store stays open
        assert Product.objects.listed().filter(pk=product.pk).exists()


def test_a_staff_accounts_content_is_never_hidden_automatically(reporters):
    staff_note = Note.objects.create(author=UserFactory(is_staff=True), title="Announcement")

    for reporter in reporters:
        report(reporter, "note", staff_note.pk)

    assert not Note.objects.get(pk=staff_note.pk).is_hidden
    assert not ModerationCase.objects.get().auto_hidden


def test_the_queue_shows_and_filters_suspected_rings(client, moderator, note, other_user, reporters):
    ring_target = Note.objects.create(author=other_user, title="Targeted by a ring")
    for reporter in UserFactory.create_batch(4):
        report(reporter, "note", ring_target.pk)
    report(reporters[0], "note", note.pk)
    client.force_login(moderator)

    everything = client.get(reverse(QUEUE)).content.decode()
    rings = client.get(reverse(QUEUE), {"ring_suspected__exact": "1"}).content.decode()

    assert "Report ring?" in everything and "Weight" in everything
    assert "Targeted by a ring" in rings and "Night cream" not in rings
    assert "0.10" in rings  # four new accounts weigh 4 x 0.025


@requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target_type", ["note", "user"])
def test_a_ring_reporting_at_once_hides_and_suspends_nothing(target_type):
    """Twelve new accounts, each on its own connection, report one target at the same
    moment: every report counts once, nothing is hidden or suspended, the ring shows."""
    ring_size = 12
    author = UserFactory(is_staff=target_type == "user")
    note = Note.objects.create(author=author, title="In the ring's sights")
    target_id = note.pk if target_type == "note" else author.username
    clients = [client_for(reporter) for reporter in UserFactory.create_batch(ring_size)]
    start = threading.Barrier(ring_size)
    statuses: list[int] = []

    def file_report(client):
        try:
            start.wait()
            response = client.post(URL, {"target_type": target_type, "target_id": str(target_id), "reason": "abuse"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_report, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [201] * ring_size
    case = ModerationCase.objects.get()
    assert (case.report_count, case.new_account_reports) == (ring_size, ring_size)
    assert case.report_weight == pytest.approx(ring_size * 0.025)
    assert case.ring_suspected and not case.auto_hidden
    assert Report.objects.count() == ring_size
    author.refresh_from_db()
    assert not author.is_suspended
    assert not Note.objects.get(pk=note.pk).is_hidden
    assert not AuditLogEntry.objects.exists()
