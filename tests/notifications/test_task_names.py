from redbook.celery import app


def test_the_follow_task_answers_to_its_old_name_too():
    app.loader.import_default_modules()
    assert "notifications.notify_follow" in app.tasks
    assert "posts.notify_follow" in app.tasks  # messages queued before the rename still run
