"""One limit per text field: the API, the forms and the pages' maxlength all read the model's max_length."""

import re

import pytest

from posts.models import Collection, Comment, Note
from redbook.input_fields import max_length_of
from tests.conftest import client_for
from tests.posts.test_lists_and_pages import browser_for

pytestmark = pytest.mark.django_db


def test_the_api_refuses_one_character_over_the_model_limit_and_saves_nothing(note, other_user):
    client = client_for(other_user)
    comment_max = Comment._meta.get_field("body").max_length
    url = f"/api/v1/notes/{note.pk}/comments/"
    assert client.post(url, {"body": "x" * (comment_max + 1)}, format="json").status_code == 400
    assert not Comment.objects.exists()
    assert client.post(url, {"body": "x" * comment_max}, format="json").status_code == 201

    board_max = Collection._meta.get_field("name").max_length
    response = client.post("/api/v1/collections/", {"name": "b" * (board_max + 1)}, format="json")
    assert response.status_code == 400
    assert not Collection.objects.filter(owner=other_user, name__startswith="bb").exists()


def test_note_body_limit_is_the_model_one_through_the_api(note):
    body_max = Note._meta.get_field("body").max_length
    client = client_for(note.author)
    response = client.patch(f"/api/v1/notes/{note.pk}/", {"body": "y" * (body_max + 1)}, format="json")
    assert response.status_code == 400
    note.refresh_from_db()
    assert not note.body.startswith("yyy")


def test_pages_take_maxlength_from_the_model(note, other_user):
    page = browser_for(other_user).get(f"/notes/{note.pk}/").content.decode()
    comment_input = re.search(r'<input id="comment-body"[^>]*>', page).group(0)
    assert f'maxlength="{max_length_of(Comment, "body")}"' in comment_input
    form = browser_for(note.author).get(f"/notes/{note.pk}/edit/").content.decode()
    body_input = re.search(r'<textarea id="note-body"[^>]*>', form).group(0)
    assert f'maxlength="{max_length_of(Note, "body")}"' in body_input
