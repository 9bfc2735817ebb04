from django.db import models


class PendingTask(models.Model):
    """A task that could not be handed to the broker (e.g. Redis down) after its commit.

    The write it belongs to is saved; `outbox.tasks.resend_pending` sends it later.
    Tasks are idempotent, so a resend that races a late delivery does no harm.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.task_name} {self.kwargs}"
