"""Notification moved from posts to notifications: same table, every row kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from tests.factories import UserFactory

POSTS_BEFORE = ("posts", "0004_merge_0003_notification_kind_data_reshare_0003_places")
BEFORE_THE_MOVE = [POSTS_BEFORE, ("notifications", None)]


def test_the_model_keeps_its_table():
    assert Notification._meta.db_table == "posts_notification"


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_move_are_read_after_it():
    recipient = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)  # state only: the table stays, posts owns the model again
    old_model = executor.loader.project_state(POSTS_BEFORE).apps.get_model("posts", "Notification")
    old_row = old_model.objects.create(recipient_id=recipient.pk, verb="system", text="hello", dedupe_key="move:1")

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Notification.objects.get(pk=old_row.pk)
    assert (moved.recipient_id, moved.text, moved.dedupe_key) == (recipient.pk, "hello", "move:1")
