"""Lists and pages: bounded queries whatever the length, visibility, escaping."""

import pytest
from django.test import Client

from accounts.models import Block
from posts import services
from posts.models import Note
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_QUERIES = 14  # token + blocks + notes + 4 prefetches + liked/saved + followed, with room


def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def many_notes(make_note, user, other_user):
    """Twelve notes by three authors, tagged, liked, saved and commented."""
    authors = [user, other_user, UserFactory()]
    notes = []
    for i in range(12):
        note = make_note(authors[i % 3], title=f"Note {i}", body=f"#coffee day {i} @{user.username}")
        services.note_like(user=user, note=note)
        services.note_save(user=other_user, note=note)
        services.comment_create(author=other_user, note=note, body="nice")
        notes.append(note)
    return notes


@pytest.mark.parametrize("page_size", [3, 50])
@pytest.mark.parametrize(
    "path",
    ["tags/coffee/notes/?sort=hot", "tags/coffee/notes/?sort=new", "users/{user}/notes/", "collections/{board}/notes/"],
)
def test_note_lists_run_a_fixed_number_of_queries(
    many_notes, user, other_user, django_assert_max_num_queries, page_size, path
):
    board = other_user.collections.get(is_default=True)
    url = "/api/v1/" + path.format(user=other_user.username, board=board.pk)
    client = client_for(user)
    client.get("/api/v1/notifications/")  # the token exists before counting
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 0 < len(results) <= page_size
    assert all(note["liked_by_me"] and not note["saved_by_me"] for note in results)


def test_lists_page_by_cursor(many_notes, anon_client):
    first = anon_client.get("/api/v1/tags/coffee/notes/", {"sort": "new", "page_size": 5}).json()
    second = anon_client.get(first["next"]).json()
    ids = [n["id"] for n in first["results"]] + [n["id"] for n in second["results"]]
    assert len(set(ids)) == 10 and ids == sorted(ids, reverse=True)


def test_hot_sorts_by_likes(make_note, user, other_user, anon_client):
    quiet = make_note(body="#tea")
    loved = make_note(body="#tea")
    services.note_like(user=other_user, note=loved)
    assert [n["id"] for n in anon_client.get("/api/v1/tags/tea/notes/").json()["results"]] == [loved.pk, quiet.pk]
    assert anon_client.get("/api/v1/tags/tea/notes/?sort=best").status_code == 400
    assert anon_client.get("/api/v1/tags/unknown/notes/").json()["results"] == []


def test_lists_leave_out_hidden_blocked_and_draft_notes(make_note, user, other_user):
    public = make_note(other_user, body="#walk")
    make_note(other_user, body="#walk", images=0, draft=True)
    hidden = make_note(other_user, body="#walk")
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    url = "/api/v1/tags/walk/notes/"
    assert [n["id"] for n in client_for(user).get(url).json()["results"]] == [public.pk]
    Block.objects.create(blocker=other_user, blocked=user)
    assert client_for(user).get(url).json()["results"] == []
    assert client_for(user).get(f"/api/v1/users/{other_user.username}/notes/").status_code == 404


def test_comment_list_queries_are_bounded(note, user, django_assert_max_num_queries):
    for i in range(8):
        root = services.comment_create(author=UserFactory(), note=note, body=f"root {i}")
        services.comment_create(author=UserFactory(), note=note, body="reply", parent_id=root.pk)
    client = client_for(user)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/notes/{note.pk}/comments/", {"page_size": 50})
    assert len(response.json()["results"]) == 8


# --- Pages ---------------------------------------------------------------------------------


def test_note_page_escapes_user_text_and_links_tags_and_mentions(make_note, user, other_user):
    lin = UserFactory(username="lin")
    note = make_note(title="<script>a()</script>", body="<script>x()</script> #tag1 with @lin")
    services.comment_create(author=other_user, note=note, body="<img src=x onerror=alert(2)>")
    html = Client().get(f"/notes/{note.pk}/").content.decode()
    assert "<script>a()</script>" not in html and "<script>x()</script>" not in html
    assert "&lt;script&gt;a()&lt;/script&gt;" in html
    assert "<img src=x onerror" not in html
    assert 'href="/tags/tag1/"' in html and f'href="/u/{lin.username}/"' in html
    assert "View original" not in html  # originals are the author's and staff's
    author = Client()
    author.force_login(note.author)
    own_page = author.get(f"/notes/{note.pk}/").content.decode()
    assert "View original" in own_page and "/originals/notes/original/" in own_page


def test_note_page_queries_are_bounded(make_note, user, other_user, django_assert_max_num_queries):
    note = make_note(images=3, body="#a #b #c")
    for i in range(6):
        root = services.comment_create(author=UserFactory(), note=note, body=f"c{i}")
        services.comment_create(author=UserFactory(), note=note, body="r", parent_id=root.pk)
        services.note_like(user=UserFactory(), note=note)
    browser = browser_for(other_user)
    with django_assert_max_num_queries(20):
        response = browser.get(f"/notes/{note.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="comment comment-reply"') == 6


def test_note_page_visibility(make_note, user, other_user):
    draft = make_note(images=0, draft=True)
    assert Client().get(f"/notes/{draft.pk}/").status_code == 404
    assert browser_for(user).get(f"/notes/{draft.pk}/").status_code == 200
    assert browser_for(other_user).get(f"/notes/{draft.pk}/edit/").status_code == 404
    published = make_note()
    assert browser_for(other_user).get(f"/notes/{published.pk}/edit/").status_code == 403
    assert browser_for(other_user).post(f"/notes/{published.pk}/delete/").status_code == 403
    assert browser_for(user).get(f"/notes/{published.pk}/edit/").status_code == 200


@pytest.mark.parametrize("path", ["/tags/coffee/", "/tags/coffee/?sort=new", "/collections/{board}/", "/u/{user}/"])
def test_grid_pages_queries_are_bounded(many_notes, user, other_user, django_assert_max_num_queries, path):
    board = other_user.collections.get(is_default=True)
    browser = browser_for(user)
    # A cold card cache (posts.cards): visibility, notes and authors, images, products, tags, the viewer's marks;
    # the header's notification and message badges.
    with django_assert_max_num_queries(16):
        response = browser.get(path.format(board=board.pk, user=other_user.username))
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') >= 4


def test_private_board_page_is_404_to_others(user, other_user):
    board = services.collection_create(owner=other_user, name="Secret", is_private=True)
    assert browser_for(user).get(f"/collections/{board.pk}/").status_code == 404
    assert browser_for(other_user).get(f"/collections/{board.pk}/").status_code == 200


def test_notifications_page_groups_and_reading_changes_nothing(many_notes, user, django_assert_max_num_queries):
    from posts import notifications

    for note in many_notes:
        for like in note.likes.all():
            notifications.notify_like(like_id=like.pk)
        notifications.notify_note_mentions(note_id=note.pk)
    browser = browser_for(user)
    with django_assert_max_num_queries(12):
        response = browser.get("/notifications/")
    html = response.content.decode()
    assert response.status_code == 200 and "mentioned you" in html
    assert user.notifications.filter(read_at__isnull=False).count() == 0  # a GET changes nothing
    browser.post("/notifications/read/")
    assert user.notifications.filter(read_at__isnull=True).count() == 0
    assert Client().get("/notifications/").status_code == 302


def test_unread_count_in_the_top_bar(note, user, other_user):
    from posts import notifications

    services.note_like(user=other_user, note=note)
    notifications.notify_like(like_id=note.likes.get().pk)
    html = browser_for(user).get(f"/tags/{'x'}/").content.decode()
    assert '<span class="badge">1<' in html


def test_new_note_form_posts_and_refuses_bad_input(user, settings):
    from tests.posts.conftest import upload

    browser = browser_for(user)
    assert browser.get("/notes/new/").status_code == 200
    bad = browser.post("/notes/new/", {"title": "Hello", "body": "kept text", "images": [upload("x.jpg", b"text")]})
    assert bad.status_code == 415 and "kept text" in bad.content.decode()
    assert not Note.objects.exists()
    good = browser.post("/notes/new/", {"title": "Hello", "tags": "a, b", "images": [upload()]})
    note = Note.objects.get()
    assert good.status_code == 302 and good.url == f"/notes/{note.pk}/"
    assert sorted(note.tags.names()) == ["a", "b"]
    draft = browser.post("/notes/new/", {"title": "Later", "status": "draft"})
    assert draft.status_code == 302 and Note.objects.filter(status="draft").count() == 1


def test_comment_form_without_javascript(note, other_user):
    browser = browser_for(other_user)
    response = browser.post(f"/notes/{note.pk}/comment/", {"body": "Lovely"})
    assert response.status_code == 302 and note.comments.get().body == "Lovely"


def test_edit_page_saves_changes_and_can_unpublish(note, user):
    browser = browser_for(user)
    response = browser.post(
        f"/notes/{note.pk}/edit/", {"title": "Edited", "body": "#fresh", "tags": "", "status": "draft"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    user.refresh_from_db()
    assert (note.title, note.status, list(note.tags.names()), user.notes_count) == ("Edited", "draft", ["fresh"], 0)
    too_long = browser.post(f"/notes/{note.pk}/edit/", {"title": "x" * 101, "status": "published"})
    assert too_long.status_code == 400
    note.refresh_from_db()
    assert note.title == "Edited"


def test_patch_with_an_empty_product_list_clears_products(api_client, note):
    from shop.models import Product

    product = Product.objects.create(brand=UserFactory(account_type="brand"), name="Mask")
    note.products.add(product)
    response = api_client.patch(f"/api/v1/notes/{note.pk}/", {"product_ids": ""}, format="multipart")
    assert response.status_code == 200 and response.json()["products"] == []
