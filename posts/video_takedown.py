"""A taken-down video note's files (moderation/targets.py calls these).

Apart from posts/videos.py, which builds on posts.services: moderation imports this, and
posts.services imports moderation.
"""

from django.core.files.storage import default_storage
from django.db import transaction

from outbox.services import enqueue_on_commit
from posts import tasks
from posts.models import NoteVideo


def video_withdraw(*, note_id: int) -> None:
    """A taken-down video's renditions leave the public storage once the take-down commits
    (the original stays private, for a restore)."""
    renditions = NoteVideo.objects.filter(note_id=note_id).values_list("renditions", flat=True).first() or []
    names = [rendition["name"] for rendition in renditions]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def video_reinstate(*, note_id: int) -> None:
    """A restored video is transcoded again from its original (the same names come back)."""
    if NoteVideo.objects.filter(note_id=note_id, status=NoteVideo.Status.READY).update(
        status=NoteVideo.Status.PROCESSING
    ):
        enqueue_on_commit(tasks.transcode_video, note_id=note_id)
