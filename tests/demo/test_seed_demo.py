"""seed_demo: a small world, checked for counts, consistent counters, reproducibility and files."""

import re
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.models import Follow, User
from demo import vocab
from posts.models import TITLE_COMPOSER_LENGTH, Collection, Comment, Like, Note, NoteImage, NoteVideo, NoteView, Save
from shop.models import Order, Product, Variant

USERS, NOTES = 60, 150
# Denser than the default ratio, so that even this small world has comment threads.
SMALL = [
    "--users",
    str(USERS),
    "--notes",
    str(NOTES),
    "--likes",
    "3000",
    "--images",
    "10",
    "--skip-post",
    "--no-progress",
]
TOPIC_SLUGS = {topic.slug for topic in vocab.TOPICS}


def seed(*extra: str) -> None:
    call_command("seed_demo", *SMALL, *extra)


@pytest.fixture
def world(db):
    seed("--seed", "7")


def wipe() -> None:
    """Delete the world (orders first: their buyers are protected)."""
    Order.objects.all().delete()
    User.objects.all().delete()


def test_counts_as_asked(world):
    assert User.objects.count() == USERS
    demo = User.objects.get(username="demo")  # the README's example login
    assert demo.check_password("redbook-demo") and not demo.is_brand
    assert Note.objects.count() == NOTES
    brands = User.objects.filter(account_type=User.AccountType.BRAND)
    assert 0 < brands.count() < USERS * 0.2
    assert not brands.filter(is_verified=False).exists()
    assert Follow.objects.count() > USERS  # about 20 each, fewer after dropping repeats
    assert Like.objects.count() > NOTES  # about 10 per note
    assert Save.objects.exists() and Comment.objects.exists() and NoteView.objects.exists()
    assert Comment.objects.filter(parent__isnull=False).exists()  # some replies
    assert Product.objects.filter(brand__in=brands).exists()
    assert not Variant.objects.filter(stock__lt=0).exists()
    assert Note.products.through.objects.exists()


def test_brands_sell_in_one_category_and_tag_their_products(world):
    for brand in User.objects.filter(account_type=User.AccountType.BRAND, products__isnull=False).distinct():
        assert Product.objects.filter(brand=brand).values("category").distinct().count() == 1
        assert not Variant.objects.filter(product__brand=brand, price__lte=0).exists()
    tagged_by_brands = Note.products.through.objects.filter(note__author__account_type=User.AccountType.BRAND)
    assert all(row.product.brand_id == row.note.author_id for row in tagged_by_brands.select_related("note", "product"))


def test_notes_look_real(world):
    notes = list(Note.objects.prefetch_related("tags"))
    assert max(len(note.title) for note in notes) <= TITLE_COMPOSER_LENGTH
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in note.title) for note in notes)  # Chinese titles
    assert any(note.title.isascii() for note in notes)  # English ones too
    for note in notes:
        tag_names = {tag.name for tag in note.tags.all()}
        assert tag_names & TOPIC_SLUGS, note.title  # every note carries its topic's tag
        assert all(f"#{name}" in note.body for name in tag_names)
    placed = [note for note in notes if note.lat is not None]
    assert placed and all(note.place_name and note.city for note in placed)
    cities = {city.zh: city for city in vocab.CITIES}
    for note in placed:
        city = cities[note.city]
        assert abs(note.lat - city.lat) < 0.5 and abs(note.lng - city.lng) < 0.5


def test_counters_equal_their_rows(world):
    likes = Counter(Like.objects.values_list("note_id", flat=True))
    saves = Counter(Save.objects.values_list("note_id", flat=True))
    comments = Counter(Comment.objects.values_list("note_id", flat=True))
    for note in Note.objects.all():
        assert (note.like_count, note.save_count, note.comment_count) == (
            likes[note.pk],
            saves[note.pk],
            comments[note.pk],
        )
        assert note.view_count >= NoteView.objects.filter(note=note).count()
    followers = Counter(Follow.objects.values_list("followee_id", flat=True))
    following = Counter(Follow.objects.values_list("follower_id", flat=True))
    notes = Counter(Note.objects.values_list("author_id", flat=True))
    for user in User.objects.all():
        assert (user.followers_count, user.following_count, user.notes_count) == (
            followers[user.pk],
            following[user.pk],
            notes[user.pk],
        )
    for comment in Comment.objects.annotate(n=Count("replies")):
        assert comment.reply_count == comment.n
    for collection in Collection.objects.annotate(n=Count("saves")):
        assert collection.notes_count == collection.n
    for product in Product.objects.annotate(n=Count("notes")):
        assert product.notes_count == product.n


def test_likes_follow_planted_interests(world):
    """Most of a user's likes fall in a few topics, so Explore has something to learn."""
    topic_of = dict(
        Note.tags.through.objects.filter(tag__name__in=TOPIC_SLUGS).values_list("content_object_id", "tag__name")
    )
    per_user: dict[int, Counter] = {}
    for user_id, note_id in Like.objects.values_list("user_id", "note_id"):
        per_user.setdefault(user_id, Counter())[topic_of[note_id]] += 1
    busy = [topics for topics in per_user.values() if sum(topics.values()) >= 10]
    assert busy
    top3_share = sum(sum(n for _, n in t.most_common(3)) for t in busy) / sum(sum(t.values()) for t in busy)
    assert top3_share > 0.7


def test_notes_have_images_whose_files_exist(world):
    assert not Note.objects.filter(images__isnull=True).exists()
    files = set()
    for image in NoteImage.objects.all():
        assert image.width > 0 and image.thumb_width <= image.width
        files.update((image.original, image.display, image.thumb))
    # Each in its own store: originals private, renditions public.
    assert files and all(file.storage.exists(file.name) for file in files)
    assert not any(default_storage.exists(image.original.name) for image in NoteImage.objects.all()[:20])


def test_same_seed_same_world_other_seed_other_world(db):
    def snapshot():
        usernames = list(User.objects.order_by("id").values_list("username", flat=True))
        titles = list(Note.objects.order_by("id").values_list("title", flat=True))
        likes = Like.objects.count()
        return usernames, titles, likes

    seed("--seed", "11")
    first = snapshot()
    wipe()
    seed("--seed", "11")
    assert snapshot() == first
    wipe()
    seed("--seed", "12")
    assert snapshot()[1] != first[1]


def test_if_empty_does_nothing_the_second_time(db, capsys):
    seed("--if-empty")
    counts = (User.objects.count(), Note.objects.count(), Like.objects.count())
    seed("--if-empty")
    assert (User.objects.count(), Note.objects.count(), Like.objects.count()) == counts
    assert "nothing to do" in capsys.readouterr().out


def test_bad_input_is_refused_and_nothing_saved(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--users", "0", "--no-progress")
    assert not User.objects.exists()


def test_seeding_is_bulk_not_per_row(db, django_assert_max_num_queries):
    """A world three times bigger costs no more queries: rows go in by the batch."""
    seed("--seed", "1")  # creates the tags and categories once
    with CaptureQueriesContext(connection) as small:
        call_command("seed_demo", "--users", "30", "--notes", "60", "--images", "10", "--skip-post", "--no-progress")
    with django_assert_max_num_queries(len(small.captured_queries)):
        call_command("seed_demo", "--users", "90", "--notes", "180", "--images", "10", "--skip-post", "--no-progress")


def test_a_notes_photos_are_drawn_for_its_topic(world):
    """Pooled files are named by topic (-tNN-), and every note carries its topic's slug as a tag."""
    notes = Note.objects.filter(media_type="image").prefetch_related("images", "tags")  # videos: their poster
    for note in notes:
        tags = {tag.name for tag in note.tags.all()}
        for image in note.images.all():
            topic = vocab.TOPICS[int(re.search(r"-t(\d\d)-", image.display.name).group(1))]
            assert topic.slug in tags, (note.title, image.display.name, tags)


def test_a_few_notes_are_playable_videos(world):
    """Generated clips through the real pipeline: ready, with renditions and a poster on disk."""
    videos = list(NoteVideo.objects.select_related("note"))
    assert len(videos) == 6
    for video in videos:
        assert video.status == "ready" and 2 <= video.duration_s <= 4.1
        assert video.note.media_type == "video" and video.note.status == "published"
        assert video.renditions and all(default_storage.exists(r["name"]) for r in video.renditions)
        assert [image.display.name for image in video.note.images.all()] == [f"videos/{video.note_id}/poster.jpg"]
