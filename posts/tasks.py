"""Celery tasks of the posts app: ids in, re-fetch, quietly nothing when the row is gone."""

from celery import shared_task

from posts import notifications, videos, view_counts
from redbook.celery import RETRY_TRANSIENT


@shared_task(name="posts.notify_like", **RETRY_TRANSIENT)
def notify_like(*, like_id: int) -> None:
    notifications.notify_like(like_id=like_id)


@shared_task(name="posts.notify_save", **RETRY_TRANSIENT)
def notify_save(*, save_id: int) -> None:
    notifications.notify_save(save_id=save_id)


@shared_task(name="posts.notify_reshare", **RETRY_TRANSIENT)
def notify_reshare(*, reshare_id: int) -> None:
    notifications.notify_reshare(reshare_id=reshare_id)


@shared_task(name="posts.notify_comment", **RETRY_TRANSIENT)
def notify_comment(*, comment_id: int) -> None:
    notifications.notify_comment(comment_id=comment_id)


@shared_task(name="posts.notify_note_mentions", **RETRY_TRANSIENT)
def notify_note_mentions(*, note_id: int) -> None:
    notifications.notify_note_mentions(note_id=note_id)


@shared_task(name="posts.flush_views", **RETRY_TRANSIENT)
def flush_views() -> int:
    return view_counts.views_flush()


# Queue "media" (settings CELERY_TASK_ROUTES): the niced worker. A worker killed mid-run
# leaves the message unacknowledged; the re-run rewrites the same files (posts/videos.py).
@shared_task(name="posts.transcode_video", **RETRY_TRANSIENT)
def transcode_video(*, note_id: int) -> str:
    return videos.video_process(note_id=note_id)
