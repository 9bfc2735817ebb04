"""Who hears of a like, save, re-share, comment or @mention: run by posts' Celery tasks after
commit, each re-reading its row (nothing if it was undone first) and handing the
notification to the notifications app."""

from notifications import services as notifications
from notifications.models import Notification
from posts import text
from posts.models import Comment, Like, Note, Reshare, Save


def _notify_note_interaction(model, pk: int, verb: str, key: str) -> None:
    """Tell a note's author of a like, save or re-share; nothing if it was undone before the task ran."""
    interaction = model.objects.select_related("note").filter(pk=pk).first()
    if interaction is None:
        return
    notifications.notify(
        recipient_id=interaction.note.author_id,
        actor_id=interaction.user_id,
        verb=verb,
        note_id=interaction.note_id,
        dedupe_key=f"{key}:{interaction.user_id}:{interaction.note_id}",
    )


def notify_like(*, like_id: int) -> None:
    _notify_note_interaction(Like, like_id, Notification.Verb.LIKE, "like")


def notify_save(*, save_id: int) -> None:
    _notify_note_interaction(Save, save_id, Notification.Verb.SAVE, "save")


def notify_reshare(*, reshare_id: int) -> None:
    _notify_note_interaction(Reshare, reshare_id, Notification.Verb.RESHARE, "reshare")


def notify_comment(*, comment_id: int) -> None:
    """The note's author (comment), the replied-to author (reply), and @mentions."""
    comment = Comment.objects.select_related("note", "parent").filter(pk=comment_id).first()
    if comment is None:
        return
    common = {"actor_id": comment.author_id, "note_id": comment.note_id, "comment_id": comment.pk}
    if comment.parent is not None:
        notifications.notify(
            recipient_id=comment.parent.author_id,
            verb=Notification.Verb.REPLY,
            dedupe_key=f"reply:{comment.pk}",
            **common,
        )
    if comment.parent is None or comment.parent.author_id != comment.note.author_id:
        notifications.notify(
            recipient_id=comment.note.author_id,
            verb=Notification.Verb.COMMENT,
            dedupe_key=f"comment:{comment.pk}",
            **common,
        )
    notifications.notify_mentions(usernames=text.mentions(comment.body), key=f"c{comment.pk}", **common)


def notify_note_mentions(*, note_id: int) -> None:
    note = Note.objects.published().filter(pk=note_id).first()
    if note is None:
        return
    notifications.notify_mentions(
        actor_id=note.author_id, usernames=text.mentions(note.body), note_id=note.pk, comment_id=None, key=f"n{note.pk}"
    )
