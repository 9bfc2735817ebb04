"""Celery tasks of the posts app: ids in, re-fetch, quietly nothing when the row is gone."""

from celery import shared_task

from posts import notifications, view_counts


@shared_task(name="posts.notify_like")
def notify_like(*, like_id: int) -> None:
    notifications.notify_like(like_id=like_id)


@shared_task(name="posts.notify_save")
def notify_save(*, save_id: int) -> None:
    notifications.notify_save(save_id=save_id)


@shared_task(name="posts.notify_comment")
def notify_comment(*, comment_id: int) -> None:
    notifications.notify_comment(comment_id=comment_id)


@shared_task(name="posts.notify_note_mentions")
def notify_note_mentions(*, note_id: int) -> None:
    notifications.notify_note_mentions(note_id=note_id)


@shared_task(name="posts.notify_follow")
def notify_follow(*, follower_id: int, followee_id: int) -> None:
    notifications.notify_follow(follower_id=follower_id, followee_id=followee_id)


@shared_task(name="posts.flush_views")
def flush_views() -> int:
    return view_counts.views_flush()
