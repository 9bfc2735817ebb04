"""Issue 20 item 10: a re-share notifies the note's author (once, grouped like likes)."""

import time
from datetime import timedelta

import pytest

from notifications.models import Notification
from posts import notifications, services
from posts.models import Reshare
from reliability.sweeps import notifications_catch_up
from tests.conftest import client_for, requires_redis
from tests.factories import UserFactory

NOTIFICATIONS = "/api/v1/notifications/"


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_reshare_notifies_the_author_through_the_worker(celery_worker, make_note, user):
    note = make_note()
    fan = UserFactory(display_name="Fan")

    client_for(fan).post(f"/api/v1/notes/{note.pk}/reshare/")

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not Notification.objects.filter(verb="reshare").exists():
        time.sleep(0.1)
    item = client_for(user).get(NOTIFICATIONS).json()["results"][0]
    assert (item["verb"], item["kind"]) == ("reshare", "reshare")
    assert item["text"] == "Fan re-shared your note"
    assert item["url"] == f"/notes/{note.pk}/" and item["actor"]["username"] == fan.username


@pytest.mark.django_db
def test_reshares_are_grouped_on_the_page_and_worded_in_chinese(client, note, user):
    for name in ["Ann", "Bo", "Cy"]:
        reshare = Reshare.objects.create(user=UserFactory(display_name=name), note=note)
        notifications.notify_reshare(reshare_id=reshare.pk)
    client.force_login(user)

    english = client.get("/notifications/").content.decode()
    chinese = client.get("/notifications/", headers={"accept-language": "zh-hans"}).content.decode()

    assert "Cy and 2 others re-shared your note" in english
    assert "转发了你的笔记" in chinese


@pytest.mark.django_db
def test_no_notification_for_an_undone_or_own_reshare(note, user, other_user):
    reshare = Reshare.objects.create(user=other_user, note=note)
    reshare_id = reshare.pk
    services.note_unreshare(user=other_user, note=note)
    own = Reshare.objects.create(user=user, note=note)

    notifications.notify_reshare(reshare_id=reshare_id)
    notifications.notify_reshare(reshare_id=own.pk)

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_sweep_makes_a_lost_reshare_notification_once(note, other_user):
    Reshare.objects.create(user=other_user, note=note)  # as if notify_reshare was lost

    first = notifications_catch_up(grace=timedelta(0))
    again = notifications_catch_up(grace=timedelta(0))

    assert (first["Reshare"], again["Reshare"]) == (1, 0)
    assert Notification.objects.get().dedupe_key == f"reshare:{other_user.pk}:{note.pk}"
