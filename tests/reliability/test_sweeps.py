from datetime import timedelta

from django.utils import timezone

from moderation.services import target_take_down
from notifications.models import Notification
from notifications.signals import notifications_changed
from posts.models import Like, Note
from reliability.sweeps import notifications_catch_up
from tests.factories import UserFactory


def _note_by(author):
    return Note.objects.create(author=author, title="t", body="b")


def test_catch_up_makes_the_notification_a_lost_task_never_made(user, other_user):
    Like.objects.create(user=user, note=_note_by(other_user))  # as if notify_like was lost

    redone = notifications_catch_up(grace=timedelta(0))

    assert redone["Like"] == 1
    assert Notification.objects.get().dedupe_key == f"like:{user.pk}:{Like.objects.get().note_id}"


def test_catch_up_twice_notifies_once(user, other_user):
    Like.objects.create(user=user, note=_note_by(other_user))
    notifications_catch_up(grace=timedelta(0))
    assert notifications_catch_up(grace=timedelta(0))["Like"] == 0
    assert Notification.objects.count() == 1


def test_catch_up_leaves_old_events_and_self_likes_alone(user, other_user):
    Like.objects.create(user=user, note=_note_by(user))  # nobody is notified of their own like
    old = Like.objects.create(user=other_user, note=_note_by(user))
    Like.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))

    notifications_catch_up(grace=timedelta(0))

    assert not Notification.objects.exists()


def test_catch_up_of_a_decision_announces_its_notifications(user, other_user):
    note = _note_by(other_user)
    target_take_down(target_type="note", target_id=note.pk, moderator=UserFactory(is_staff=True, is_superuser=True))
    announced = []

    def receiver(sender, recipient_ids, **kwargs):
        announced.append(recipient_ids)

    notifications_changed.connect(receiver)
    try:
        assert notifications_catch_up(grace=timedelta(0))["AuditLogEntry"] == 1
    finally:
        notifications_changed.disconnect(receiver)
    assert [other_user.pk] in announced  # the unread badge of the author's open pages moves
