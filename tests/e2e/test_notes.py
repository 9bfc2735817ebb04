"""A note posted with two photos, then liked, saved, commented and replied to by someone else."""

import io
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image, ImageDraw

from notifications.models import Notification
from posts.models import Comment, Like, Note, Save
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _photo(color, size) -> dict:
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return {"name": f"photo-{color[0]}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _wait_for(predicate, timeout=15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_post_a_note_then_like_save_comment_and_reply(page_at, live_server, celery_worker):
    author = UserFactory(username="mei", display_name="Mei 小美")
    fan = UserFactory(username="lin", display_name="Lin")

    page = page_at(1440)
    _log_in(page, author, live_server)
    page.goto("/notes/new/")
    page.locator('input[name="images"]').set_input_files(
        [_photo((220, 60, 80), (900, 1200)), _photo((40, 120, 200), (1200, 900))]
    )
    assert page.locator("[data-photo-previews] img").count() == 2
    page.get_by_label("Title").fill("周末咖啡 Weekend latte")
    assert page.locator("#title-counter").inner_text() == "18"
    page.get_by_label("Text").fill("Best oat latte in town #coffee #上海 — thanks @lin for the tip!")
    page.locator("#note-place").fill("Jing'an, Shanghai")
    screenshot(page, "notes-new-1440")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    note = Note.objects.get()
    assert note.images.count() == 2 and sorted(note.tags.names()) == ["coffee", "上海"]

    page = page_at(1440)
    _log_in(page, fan, live_server)
    page.goto(f"/notes/{note.pk}/")
    like = page.locator('[data-action="note-like"]')
    like.click()
    page.wait_for_selector('[data-action="note-like"][aria-pressed="true"]')
    assert like.locator('[data-count="like"]').inner_text() == "1"
    page.locator('[data-action="note-save"]').click()
    page.locator('#save-dialog button[type="submit"]').click()  # saving asks which board; "Saved" is picked
    page.wait_for_selector('[data-action="note-save"][aria-pressed="true"]')

    page.get_by_label("Add a comment").fill("Is it open on Sundays?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("text=Is it open on Sundays?")
    root = Comment.objects.get()
    page.reload()  # the comment now rendered by the server, with its reply button
    page.locator(f'#comment-{root.pk} [data-action="comment-reply"]').first.click()
    page.get_by_label("Add a comment").fill("And do they have oat milk?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector(f'[data-reply-list="{root.pk}"] >> text=And do they have oat milk?')

    assert Like.objects.filter(user=fan, note=note).exists() and Save.objects.filter(user=fan, note=note).exists()
    assert Comment.objects.filter(parent=root, author=fan).exists()
    note.refresh_from_db()
    assert (note.like_count, note.save_count, note.comment_count) == (1, 1, 2)

    for width in (390, 1440):
        shot = page_at(width)
        _log_in(shot, fan, live_server)
        shot.goto(f"/notes/{note.pk}/")
        shot.wait_for_load_state("networkidle")
        assert shot.locator(".carousel-slide img").first.evaluate("img => img.naturalWidth") > 0
        screenshot(shot, f"notes-note-page-{width}")

    # The author's notifications, made by the worker after each commit, grouped.
    assert _wait_for(lambda: Notification.objects.filter(recipient=author).count() == 4)
    inbox = page_at(390)
    _log_in(inbox, author, live_server)
    inbox.goto("/tags/coffee/")
    assert inbox.locator(".masonry .card").count() == 1
    assert inbox.locator(".tabbar .badge").inner_text() == "4"
    screenshot(inbox, "notes-tag-390")
    inbox.goto("/notifications/")
    assert inbox.get_by_text("Lin liked your note").is_visible()
    assert inbox.get_by_text("Lin commented on your note").count() == 2
    screenshot(inbox, "notes-notifications-390")
    assert Notification.objects.filter(recipient=author, read_at__isnull=True).count() == 4  # reading changes nothing
    inbox.get_by_role("button", name="Mark all as read").click()
    inbox.wait_for_load_state()
    assert _wait_for(lambda: not Notification.objects.filter(recipient=author, read_at__isnull=True).exists())
