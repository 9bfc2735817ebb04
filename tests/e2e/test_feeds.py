"""In headless Chromium: the Explore page (channel tabs, masonry, reasons, "not interested",
infinite scroll) at 390 and 1440 px, with screenshots that are looked at."""

import io
import random

import pytest
from django.test import Client
from PIL import Image, ImageDraw

from feeds import services as feed_services
from feeds.models import NotInterested
from posts import services as posts_services
from posts.models import Like
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.feeds.conftest import ensure_default_channels
from tests.posts.conftest import upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PALETTE = [(255, 182, 193), (255, 228, 196), (176, 224, 230), (221, 160, 221), (240, 230, 140), (152, 251, 152)]
TITLES = ["晨间护肤步骤", "Weekend brunch", "杭州西湖一日游", "OOTD: linen", "Best ramen in town", "平价面霜推荐"]
TOPICS = ["skincare", "food", "travel", "fashion", "food", "skincare"]


def _photo(i: int) -> bytes:
    size = [(540, 720), (540, 540), (540, 400)][i % 3]
    image = Image.new("RGB", size, PALETTE[i % len(PALETTE)])
    ImageDraw.Draw(image).ellipse((60, 60, size[0] - 60, size[1] - 60), fill=PALETTE[(i + 2) % len(PALETTE)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def _world(n_notes: int):
    rng = random.Random(3)
    authors = UserFactory.create_batch(11)  # prime to the topics, so each author posts in several
    notes = []
    for i in range(n_notes):
        notes.append(
            posts_services.note_create(
                author=authors[i % len(authors)],
                title=TITLES[i % len(TITLES)],
                body="",
                images=[upload(f"p{i}.jpg", _photo(i + rng.randrange(3)))],
                tags=[TOPICS[i % len(TOPICS)]],
            )
        )
    return notes


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", [390, 1440])
def test_explore_page(page_at, live_server, width):
    ensure_default_channels()
    notes = _world(48)
    viewer = UserFactory(username=f"viewer{width}")
    Like.objects.bulk_create(Like(user=viewer, note=n) for n in notes if "skincare" in n.tags.names())
    feed_services.explore_rank()
    feed_services.explore_rank(user_ids=[viewer.pk])

    page = page_at(width)
    _log_in(page, live_server, viewer)
    page.goto("/")
    cards = page.locator(".feed-item")
    assert cards.count() == 20
    assert page.get_by_role("navigation", name="Channels").get_by_role("link", name="Skincare").is_visible()
    screenshot(page, f"feeds-explore-{width}")

    # the reason shows on hover (a long press on touch screens)
    first = cards.first
    first.hover()
    reason = first.locator(".feed-reason")
    reason.wait_for(state="visible")
    assert "#" in reason.inner_text() or reason.inner_text()
    screenshot(page, f"feeds-explore-reason-{width}")

    # "not interested" removes the card and is stored
    note_id = int(first.get_attribute("data-note-id"))
    first.get_by_role("button", name="Not interested").click()
    page.locator(f'.feed-item[data-note-id="{note_id}"]').wait_for(state="detached")
    assert NotInterested.objects.filter(user=viewer, note_id=note_id).exists()

    # infinite scroll brings the next page
    page.locator("[data-feed-sentinel]").scroll_into_view_if_needed()
    cards.nth(20).wait_for()
    ids = page.eval_on_selector_all(".feed-item", "els => els.map(e => e.dataset.noteId)")
    assert len(ids) == len(set(ids)) > 19

    # a channel tab filters
    page.goto("/?channel=travel")
    tags = {n.pk: n.tags.names()[0] for n in notes}
    shown = page.eval_on_selector_all(".feed-item", "els => els.map(e => Number(e.dataset.noteId))")
    assert shown and all(tags[pk] == "travel" for pk in shown)


@pytest.mark.parametrize("width", [390, 1440])
def test_nearby_page_with_a_city(page_at, width):
    author = UserFactory()
    for i in range(6):
        posts_services.note_create(
            author=author,
            title=f"外滩 walk {i}",
            body="",
            images=[upload(f"n{i}.jpg", _photo(i))],
            tags=["travel"],
            lat=31.2304 + 0.01 * i,
            lng=121.4737 + 0.01 * i,
            place_name="The Bund",
        )
    page = page_at(width)
    page.goto("/nearby/")
    page.get_by_label("or pick a city").select_option("shanghai")  # submits by itself (data-autosubmit)
    page.wait_for_url("**/nearby/?city=shanghai")
    # cards sit in columns left to right; data-position is the feed's order
    rows = page.eval_on_selector_all(
        ".feed-item", "els => els.map(e => [Number(e.dataset.position), e.querySelector('.feed-distance').textContent])"
    )
    values = [float(text.split()[0]) for _, text in sorted(rows)]
    assert len(values) == 6 and values[0] == 0.0 and values == sorted(values)
    first_row = page.eval_on_selector_all(
        ".feed-column > .feed-item:first-child", "els => els.map(e => e.dataset.position)"
    )
    assert sorted(first_row) == [str(i) for i in range(len(first_row))]  # reading order: 0, 1, 2... across the top
    screenshot(page, f"feeds-nearby-{width}")


def test_feed_settings_mute_a_keyword(page_at, live_server):
    viewer = UserFactory()
    page = page_at(390)
    _log_in(page, live_server, viewer)
    page.goto("/settings/feeds/")
    page.get_by_label("Keyword").fill("Durian")
    page.get_by_role("button", name="Mute", exact=True).click()
    page.get_by_text("Keyword muted.").wait_for()
    assert page.get_by_role("button", name="Unmute durian").is_visible()
    screenshot(page, "feeds-settings-390")
    assert list(viewer.muted_keywords.values_list("keyword", flat=True)) == ["durian"]
