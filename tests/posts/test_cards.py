"""posts.cards: the NoteCard read model, its HTML values, its cache and the viewer's marks."""

from copy import copy
from dataclasses import FrozenInstanceError, replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts import services as account_services
from moderation import services as moderation_services
from posts import services, view_counts
from posts.cards import CardBuilder, NoteCard, UrlPattern, note_cards, viewer_marks
from posts.models import Note
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.posts.conftest import upload


@pytest.mark.parametrize("username", ["ivy", "小红书", "a+b c", "x%y", "o'k&<b>"])
def test_url_pattern_quotes_as_reverse_does(username):
    assert UrlPattern("accounts:profile", "username")(username) == reverse("accounts:profile", args=[username])
    assert UrlPattern("posts:note-detail", "note_id")(42) == reverse("posts:note-detail", args=[42])


@pytest.mark.django_db
def test_a_card_holds_what_lists_show_and_is_frozen(user, make_note, django_assert_num_queries):
    user.avatar = upload("me.jpg")
    user.save()
    note = make_note(images=2, body="#coffee time")
    (card,) = note_cards([note.pk], user)
    assert isinstance(card, NoteCard) and card.id == note.pk and card.author.username == user.username
    assert [image.thumb for image in card.images] == [image.thumb.name for image in note.images.order_by("position")]
    assert card.tags == ("coffee",)
    with pytest.raises(FrozenInstanceError):
        card.title = "changed"
    builder = CardBuilder(liked_ids={note.pk})
    with django_assert_num_queries(0):  # everything the grid shows is on the card
        values = builder.card(replace(card, like_count=12345))
    cover = note.images.order_by("position", "id")[0]
    assert values["cover"] == {"url": cover.thumb.url, "width": cover.thumb_width, "height": cover.thumb_height}
    assert values["url"] == reverse("posts:note-detail", args=[note.pk])
    assert values["author_url"] == reverse("accounts:profile", args=[user.username])
    assert values["avatar_url"] == user.avatar.url
    assert values["liked"] is True and values["like_count"] == "12,345"
    assert CardBuilder().card(card)["liked"] is False


@pytest.mark.django_db
def test_a_draft_lists_only_as_its_authors_draft(user, other_user, make_note):
    draft = make_note(images=0, draft=True)  # only a draft may have no image yet
    assert note_cards([draft.pk], user) == []  # drafts open, but list nowhere
    (card,) = note_cards([draft.pk], user, drafts=True)
    assert CardBuilder().card(card)["cover"] is None
    assert note_cards([draft.pk], other_user, drafts=True) == []
    assert note_cards([draft.pk], AnonymousUser(), drafts=True) == []


@pytest.mark.django_db
def test_cards_follow_visibility_for_every_kind_of_viewer(make_note, user, other_user, admin_user):
    mine, theirs = make_note(title="mine"), make_note(author=other_user, title="theirs")
    hidden = make_note(title="hidden")
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    stranger = UserFactory()
    account_services.block_create(blocker=stranger, blocked=other_user)
    ids = [theirs.pk, hidden.pk, mine.pk, theirs.pk]

    def listed(viewer):
        return [card.id for card in note_cards(ids, viewer)]

    assert listed(AnonymousUser()) == [theirs.pk, mine.pk]  # in the order asked, once each
    assert listed(user) == [theirs.pk, hidden.pk, mine.pk]  # your own hidden note stays yours
    assert listed(admin_user) == [theirs.pk, hidden.pk, mine.pk]
    assert listed(stranger) == [mine.pk]  # the blocked author's note is gone


@pytest.mark.django_db
def test_a_page_reads_cards_in_a_fixed_number_of_queries_then_from_the_cache(
    make_note, other_user, django_assert_num_queries
):
    ids = [make_note(author=other_user if i % 2 else None, body="#tea").pk for i in range(6)]
    cache.clear()
    with django_assert_num_queries(5):  # visibility, notes + authors, images, products, tags
        assert len(note_cards(ids, AnonymousUser())) == 6
    with django_assert_num_queries(1):  # visibility: the cards come from the cache
        cards = note_cards(ids, AnonymousUser())
    assert [card.tags for card in cards] == [("tea",)] * 6


@pytest.mark.django_db
def test_a_cards_tags_keep_the_authors_order_in_and_out_of_the_cache(make_note):
    first = make_note(body="#zeta #alpha #mid")
    second = make_note(body="#mid #zeta")  # the same tags, read on one page in another order
    cache.clear()
    fresh = note_cards([second.pk, first.pk], AnonymousUser())
    cached = note_cards([first.pk, second.pk], AnonymousUser())
    assert [card.tags for card in fresh] == [("mid", "zeta"), ("zeta", "alpha", "mid")]
    assert [card.tags for card in cached] == [("zeta", "alpha", "mid"), ("mid", "zeta")]


@pytest.mark.django_db
def test_edits_likes_views_drop_a_cached_card_and_hiding_takes_it_out_at_once(user, other_user, make_note, admin_user):
    note = make_note(author=other_user, title="Before")
    note_cards([note.pk], user)  # cached
    services.note_like(user=user, note=note)
    assert note_cards([note.pk], user)[0].like_count == 1
    services.note_update(note=note, editor=other_user, title="After")
    assert note_cards([note.pk], user)[0].title == "After"
    view_counts._add_counts({note.pk: 3})  # a flush of buffered views
    assert note_cards([note.pk], user)[0].view_count == 3
    moderation_services.target_take_down(target_type="note", target_id=note.pk, moderator=admin_user)
    assert note_cards([note.pk], user) == []
    assert note_cards([note.pk], AnonymousUser()) == []


@pytest.mark.django_db
def test_viewer_marks_are_one_query_for_a_page(user, other_user, make_note, django_assert_num_queries):
    liked, saved, plain = (make_note(author=other_user) for _ in range(3))
    services.note_like(user=user, note=liked)
    services.note_save(user=user, note=saved)
    account_services.follow_create(follower=user, followee=other_user)
    cards = note_cards([liked.pk, saved.pk, plain.pk], user)
    with django_assert_num_queries(1):
        marks = viewer_marks(user, cards)
    assert marks.liked == {liked.pk} and marks.saved == {saved.pk} and marks.followed == {other_user.pk}
    with django_assert_num_queries(0):
        assert viewer_marks(AnonymousUser(), cards).liked == frozenset()


@pytest.mark.django_db
def test_card_markup_follows_its_values_heart_and_language(user, make_note):
    """The markup is memoized per process by what it shows: a new like count, title or heart,
    or another language, draws anew; the same values give the same markup."""
    note = make_note(title="Tea <time>")
    (card,) = note_cards([note.pk], user)
    plain = CardBuilder().card(card)["html"]
    assert "Tea &lt;time&gt;" in plain and "is-liked" not in plain
    assert CardBuilder().card(card)["html"] == plain
    assert "is-liked" in CardBuilder(liked_ids={note.pk}).card(card)["html"]
    assert ">Likes</span> 1,234" in CardBuilder().card(replace(card, like_count=1234))["html"]
    assert "Coffee" in CardBuilder().card(replace(card, title="Coffee"))["html"]
    with translation.override("zh-hans"):
        chinese = CardBuilder().card(card)["html"]
    assert chinese != plain and "Likes" not in chinese
    renamed = copy(card.author)  # equal to the old author (by id), but with a new name
    renamed.display_name = "Ren <amed>"
    assert "Ren &lt;amed&gt;" in CardBuilder().card(replace(card, author=renamed))["html"]


@pytest.mark.django_db
def test_shared_json_fields_never_carry_one_viewers_fields_to_another(user, make_note):
    """The API's per-card fields are memoized per process; what differs per viewer is not:
    a like, a follow, and the original's signed URL (its author's and staff's alone), in
    whichever order the viewers come."""
    note = make_note(title="Shared")
    fan, stranger = UserFactory(), UserFactory()
    services.note_like(user=fan, note=note)
    url = f"/api/v1/users/{user.username}/notes/"

    def row(viewer):
        (item,) = client_for(viewer).get(url).json()["results"]
        return item

    first = row(stranger)
    assert first["images"][0]["original_url"] is None and first["liked_by_me"] is False
    assert row(user)["images"][0]["original_url"]  # the author, after the stranger: signed URL
    assert row(fan)["liked_by_me"] is True and row(fan)["like_count"] == 1
    assert row(stranger)["liked_by_me"] is False and row(stranger)["images"][0]["original_url"] is None
