"""Prepared queries (redbook/prepared.py): the ORM's rows, compiled once, on the real database."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from rest_framework.test import APIClient

from accounts import services as account_services
from posts import selectors
from posts.cards import note_cards
from posts.models import Like, Note
from redbook.prepared import Arg, InList, PreparedInstances, PreparedQuery
from shop.models import Product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _counting(build):
    """`build`, counting its calls: a prepared query builds its queryset once per process."""
    calls = []

    def counted():
        calls.append(1)
        return build()

    return counted, calls


@pytest.fixture
def notes(make_note, other_user):
    return [make_note(title=f"note {i}", author=other_user if i % 2 else None) for i in range(4)]


def test_rows_match_the_orm_for_lists_of_any_length_and_compile_once(notes, user, django_assert_num_queries):
    for note in notes[:3]:
        Like.objects.create(user=user, note=note)
    build, calls = _counting(
        lambda: (
            Like.objects.filter(InList(F("note_id"), Arg("notes")), user_id=Arg("viewer"))
            .order_by("note_id")
            .values_list("note_id", "created_at")
        )
    )
    liked = PreparedQuery(build)
    for ids in ([n.pk for n in notes], [notes[1].pk], []):
        expected = list(
            Like.objects.filter(note_id__in=ids, user=user).order_by("note_id").values_list("note_id", "created_at")
        )
        with django_assert_num_queries(1):
            assert liked.rows(viewer=user.pk, notes=ids) == expected
    assert liked.rows(viewer=notes[0].author_id + 1000, notes=[n.pk for n in notes]) == []
    assert len(calls) == 1


def test_a_plain_list_in_in_list_filters_like_pk_in(notes):
    ids = {notes[0].pk, notes[2].pk}
    assert set(Note.objects.filter(InList(F("pk"), ids)).values_list("pk", flat=True)) == ids
    assert not Note.objects.filter(InList(F("pk"), [])).exists()
    assert Note.objects.exclude(InList(F("pk"), [])).count() == len(notes)


def test_column_values_are_converted_as_the_orm_converts_them(brand):
    product = Product.objects.create(brand=brand, name="Cream", price_min=Decimal("129.00"), price_max=Decimal("199"))
    columns = ("price_min", "created_at", "brand__username")
    prepared = PreparedQuery(lambda: Product.objects.filter(pk=Arg("pk")).values_list(*columns))
    (row,) = prepared.rows(pk=product.pk)
    assert row == Product.objects.values_list(*columns).get(pk=product.pk)
    assert row[0] == Decimal("129.00") and isinstance(row[0], Decimal) and row[1].tzinfo is not None


def test_instances_come_with_their_foreign_key_loaded(notes, django_assert_num_queries):
    authors = PreparedInstances(Note, lambda: Note.objects.filter(InList(F("pk"), Arg("ids"))), related="author")
    with django_assert_num_queries(1):
        found = {note.pk: note for note in authors.objects(ids=[n.pk for n in notes])}
        assert {pk: note.author.username for pk, note in found.items()} == {n.pk: n.author.username for n in notes}
    assert all(found[n.pk].title == n.title and found[n.pk].created_at == n.created_at for n in notes)
    found[notes[0].pk].save(update_fields=["title"])  # a usable instance: it knows it came from the database


def _listed(viewer, ids) -> set[int]:
    """What lists show among `ids`, by the ORM, for comparison."""
    return set(selectors.listed_notes(viewer=viewer).filter(pk__in=ids).values_list("pk", flat=True))


def test_note_cards_follow_visibility_for_every_kind_of_viewer(notes, make_note, user, other_user, admin_user):
    hidden = make_note(title="hidden")
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    draft = make_note(title="draft", draft=True)
    stranger = UserFactory()
    account_services.block_create(blocker=stranger, blocked=other_user)
    ids = [n.pk for n in [*notes, hidden, draft]]

    def cards(viewer):
        return {card.id for card in note_cards(ids, viewer)}

    for viewer in (AnonymousUser(), user, other_user, stranger, admin_user):
        assert cards(viewer) == _listed(viewer, ids), viewer
    assert draft.pk not in cards(user)  # drafts open, but list nowhere
    assert hidden.pk in cards(admin_user)
    assert not {n.pk for n in notes if n.author == other_user} & cards(stranger)


def test_token_authentication_refuses_unknown_and_inactive_accounts(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."
    client.credentials(HTTP_AUTHORIZATION=f"Token {account_services.token_issue(user=user)[1]}")
    assert client.get("/api/v1/me/").json()["username"] == user.username
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["detail"] == "User inactive or deleted."
