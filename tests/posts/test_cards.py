"""posts.cards: the grid card values built once per page must match what the template tags gave."""

import pytest
from django.urls import reverse

from posts.cards import CardBuilder, UrlPattern
from posts.selectors import card_images, note_cards
from tests.posts.conftest import upload


@pytest.mark.parametrize("username", ["ivy", "小红书", "a+b c", "x%y", "o'k&<b>"])
def test_url_pattern_quotes_as_reverse_does(username):
    assert UrlPattern("accounts:profile", "username")(username) == reverse("accounts:profile", args=[username])
    assert UrlPattern("posts:note-detail", "note_id")(42) == reverse("posts:note-detail", args=[42])


@pytest.mark.django_db
def test_a_card_is_the_same_from_prefetched_images_or_plain_rows(user, make_note, django_assert_num_queries):
    user.avatar = upload("me.jpg")
    user.save()
    note = make_note(images=2)
    prefetched = note_cards(viewer=user).get(pk=note.pk)
    prefetched.like_count = 12345
    cover = prefetched.images.all()[0]
    builder = CardBuilder(liked_ids={note.pk})

    with django_assert_num_queries(0):  # the images come prefetched
        card = builder.card(prefetched)
    prefetched.card_images = card_images([note.pk])[note.pk]
    assert builder.card(prefetched) == card
    assert card["cover"] == {"url": cover.thumb.url, "width": cover.thumb_width, "height": cover.thumb_height}
    assert card["url"] == reverse("posts:note-detail", args=[note.pk])
    assert card["author_url"] == reverse("accounts:profile", args=[user.username])
    assert card["avatar_url"] == user.avatar.url
    assert card["liked"] is True
    assert card["like_count"] == "12,345"
    assert CardBuilder().card(prefetched)["liked"] is False


@pytest.mark.django_db
def test_a_note_without_images_has_no_cover(make_note):
    note = make_note(images=0, draft=True)  # only a draft may have no image yet
    note.card_images = []
    assert CardBuilder().card(note)["cover"] is None
