from django.db import models


class Heartbeat(models.Model):
    """The last time a named periodic probe ran (the Celery canary writes "canary")."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    token = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
