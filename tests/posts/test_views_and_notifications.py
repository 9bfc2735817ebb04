"""Views counted once per viewer per day (Redis buffer + beat flush, or the database),
and notifications made by a real Celery worker after commit."""

import time

import pytest
from django.db import transaction

from accounts import services as account_services
from accounts.models import Block
from notifications import selectors as notification_selectors
from notifications.models import Notification
from posts import services, view_counts
from posts.models import Note, NoteView
from posts.tasks import flush_views, notify_like
from redbook.redis import get_redis
from tests.conftest import client_for, requires_redis
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@requires_redis
def test_views_count_once_per_viewer_and_day_through_the_buffer(note, other_user, anon_client):
    url = f"/api/v1/notes/{note.pk}/view/"
    viewer = client_for(other_user)
    assert [viewer.post(url).status_code for _ in range(3)] == [202, 202, 202]
    assert anon_client.post(url, HTTP_USER_AGENT="phone").status_code == 202
    assert anon_client.post(url, HTTP_USER_AGENT="phone").status_code == 202
    assert view_counts.pending_count() == 2
    note.refresh_from_db()
    assert note.view_count == 0  # buffered, not yet flushed...
    assert viewer.get(f"/api/v1/notes/{note.pk}/").json()["view_count"] == 2  # ...but shown at once
    assert view_counts.views_flush() == 2
    assert view_counts.views_flush() == 0
    note.refresh_from_db()
    assert note.view_count == 2
    assert viewer.get(f"/api/v1/notes/{note.pk}/").json()["view_count"] == 2
    assert view_counts.pending_views([note.pk]) == {}
    assert NoteView.objects.filter(note=note, viewer=other_user).count() == 1


@requires_redis
def test_a_flush_that_died_after_commit_counts_nothing_twice(note, other_user):
    view_counts.view_record(note_id=note.pk, viewer_id=other_user.pk, viewer_key=f"u:{other_user.pk}")
    batch = get_redis().lrange(view_counts.BUFFER_KEY, 0, -1)
    assert view_counts.views_flush() == 1
    get_redis().rpush(view_counts.BUFFER_KEY, *batch)  # as if LTRIM never happened
    assert view_counts.views_flush() == 0
    note.refresh_from_db()
    assert note.view_count == 1
    assert view_counts.pending_views([note.pk]) == {}


@requires_redis
def test_views_of_deleted_notes_are_dropped_by_the_flush(note, other_user):
    view_counts.view_record(note_id=note.pk, viewer_id=other_user.pk, viewer_key="u:x")
    Note.objects.filter(pk=note.pk).delete()
    assert view_counts.views_flush() == 0
    assert view_counts.pending_count() == 0


def test_without_redis_views_go_straight_to_the_database(settings, note, other_user):
    settings.REDIS_URL = ""
    get_redis.cache_clear()
    try:
        client = client_for(other_user)
        for _ in range(2):
            assert client.post(f"/api/v1/notes/{note.pk}/view/").status_code == 202
    finally:
        get_redis.cache_clear()
    note.refresh_from_db()
    assert note.view_count == 1 and NoteView.objects.count() == 1


@requires_redis
def test_the_beat_task_flushes_the_buffer_on_a_real_worker(celery_worker, make_note, other_user):
    note = make_note()
    view_counts.view_record(note_id=note.pk, viewer_id=other_user.pk, viewer_key=f"u:{other_user.pk}")
    flush_views.delay()
    assert _wait_for(lambda: Note.objects.get(pk=note.pk).view_count == 1)
    assert view_counts.pending_count() == 0


def test_the_flush_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["posts-flush-views"]
    assert entry["task"] == flush_views.name and entry["schedule"] <= 60


# --- Notifications ---------------------------------------------------------------------


def _notes_of(user, verb):
    return Notification.objects.filter(recipient=user, verb=verb)


@requires_redis
def test_likes_saves_comments_replies_mentions_and_follows_notify(celery_worker, make_note, user, other_user):
    lin = UserFactory(username="lin", display_name="Lin")
    note = make_note(body="with @lin and @ghost")
    assert _wait_for(lambda: _notes_of(lin, "mention").exists())  # the note's own mention
    services.note_like(user=other_user, note=note)
    services.note_save(user=other_user, note=note)
    root = services.comment_create(author=other_user, note=note, body="Hi @lin")
    services.comment_create(author=user, note=note, body="hello", parent_id=root.pk)
    account_services.follow_create(follower=other_user, followee=user)
    assert _wait_for(lambda: Notification.objects.filter(recipient=user).count() == 4)
    assert _wait_for(lambda: _notes_of(other_user, "reply").exists())
    assert _wait_for(lambda: _notes_of(lin, "mention").count() == 2)
    assert {n.verb for n in Notification.objects.filter(recipient=user)} == {"like", "save", "comment", "follow"}
    assert not Notification.objects.filter(actor=user, recipient=user).exists()  # never your own actions


def test_notifications_are_made_once_even_when_the_task_runs_again(make_note, other_user):
    """A retried or re-delivered task adds nothing: the task runs twice here, in process."""
    note = make_note()
    services.note_like(user=other_user, note=note)
    first_like = note.likes.get().pk
    notify_like(like_id=first_like)
    notify_like(like_id=first_like)
    services.note_unlike(user=other_user, note=note)
    services.note_like(user=other_user, note=note)
    notify_like(like_id=note.likes.get().pk)  # liked again: the same notification, not a second
    assert Notification.objects.filter(verb="like", recipient=note.author).count() == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_when_the_write_rolls_back(make_note, other_user):
    from outbox.models import PendingTask

    note = make_note()
    get_redis() and get_redis().flushdb()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.note_like(user=other_user, note=note)
        raise RuntimeError
    assert not PendingTask.objects.exists()
    if get_redis():
        assert get_redis().llen("celery") == 0


def test_mentions_skip_blocked_and_unknown_users(note, user):
    from posts import notifications

    blocked = UserFactory(username="blockedone")
    Block.objects.create(blocker=blocked, blocked=user)
    Note.objects.filter(pk=note.pk).update(body="hi @blockedone @nobody_here")
    notifications.notify_note_mentions(note_id=note.pk)
    assert not Notification.objects.exists()


def test_notifications_api_groups_read_and_counts(note, user, anon_client):
    from posts import notifications

    likers = [UserFactory(display_name=name) for name in ("Lin", "Mei", "Bo", "Yu")]
    for liker in likers:
        like = services.note_like(user=liker, note=note) and note.likes.get(user=liker)
        notifications.notify_like(like_id=like.pk)
    groups = notification_selectors.grouped_page(user=user)
    assert len(groups) == 1 and groups[0].text == "Yu and 3 others liked your note"
    client = client_for(user)
    data = client.get("/api/v1/notifications/").json()
    assert data["unread_count"] == 4 and len(data["results"]) == 4
    row = data["results"][0]
    assert {"id", "verb", "actor", "note", "text", "is_read", "created_at"} <= set(row)
    assert row["note"]["id"] == note.pk and row["is_read"] is False
    assert client.post("/api/v1/notifications/read/").status_code == 204
    assert client.get("/api/v1/notifications/").json()["unread_count"] == 0
    assert anon_client.get("/api/v1/notifications/").status_code == 401
    assert client_for(likers[0]).get("/api/v1/notifications/").json()["results"] == []
