"""The composer a new user walks through: editing a published note (fields alone, then
photos), the Post button on wide screens, drafts, autocompletes, the title counter and
the live comment count. English and Chinese, at phone and desktop widths."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from accounts.models import Block, Follow
from posts import services
from posts.models import Note, NoteImage
from search.models import TagStat
from shop.models import Product
from tests.e2e.conftest import screenshot
from tests.factories import BrandFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every width and language once for the flow that broke; the others alternate.
EVERY = [(390, "en"), (1440, "en"), (390, "zh-hans"), (1440, "zh-hans")]
ALTERNATE = [(390, "en"), (1440, "zh-hans")]
WORDS = {
    "en": {"publish": "Publish", "draft": "Save draft", "title": "Title", "text": "Text", "drafts": "Drafts"},
    "zh-hans": {"publish": "发布", "draft": "存草稿", "title": "标题", "text": "正文", "drafts": "草稿"},
}


def _jpeg(size, color=(200, 60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def _file(size, name="photo.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": _jpeg(size)}


def _upload(size):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{size[0]}x{size[1]}.jpg", _jpeg(size), content_type="image/jpeg")


def _open(page_at, live_server, user, *, width: int, language: str):
    """A page signed in as `user`, in `language`."""
    page = page_at(width)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return page


def _sizes(note) -> list[tuple[int, int]]:
    return [(i.width, i.height) for i in NoteImage.objects.filter(note=note).order_by("position")]


@pytest.mark.parametrize(("width", "language"), EVERY)
def test_edit_a_published_note_without_touching_its_photos(page_at, live_server, width, language):
    author = UserFactory(username="mei")
    brand = BrandFactory(username="glowco")
    old = Product.objects.create(brand=brand, name="Old balm", price_min=9, price_max=9)
    Product.objects.create(brand=brand, name="Glow serum", price_min=9, price_max=9)
    note = services.note_create(
        author=author,
        title="Weekend latte",
        images=[_upload((300, 400)), _upload((400, 300))],
        tags=["coffee"],
        product_ids=[old.pk],
    )
    photos = list(NoteImage.objects.filter(note=note).values_list("pk", flat=True))
    words = WORDS[language]

    page = _open(page_at, live_server, author, width=width, language=language)
    page.goto(f"/u/{author.username}/")  # the grid's card is drawn (and kept) before the edit
    assert page.locator(".card-title").all_inner_texts() == ["Weekend latte"]
    page.goto(f"/notes/{note.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(words["title"], exact=True).fill("Sunday oat latte")
    page.locator("#note-tags").fill("coffee, brunch")
    page.locator("#note-place").fill("West Lake")
    page.locator("[data-product-selected] [data-remove-product]").click()
    page.locator("[data-product-search]").fill("glow")
    page.locator("[data-product-results] button", has_text="Glow serum").click()
    screenshot(page, f"composer-edit-{language}-{width}")
    page.get_by_role("button", name=words["publish"], exact=True).click()
    page.wait_for_url(re.compile(rf"/notes/{note.pk}/$"))

    assert page.locator(".form-errors:visible").count() == 0
    assert page.locator(".note-title").inner_text() == "Sunday oat latte"
    assert page.locator(".note-place").inner_text() == "West Lake"
    assert page.locator(".note-tags").inner_text().split() == ["#coffee", "#brunch"]
    note.refresh_from_db()
    assert sorted(note.tags.names()) == ["brunch", "coffee"]
    assert list(note.products.values_list("name", flat=True)) == ["Glow serum"]
    assert list(NoteImage.objects.filter(note=note).values_list("pk", flat=True)) == photos
    screenshot(page, f"composer-edited-{language}-{width}")
    page.goto(f"/u/{author.username}/")  # the author's grid shows the edit at once
    assert page.locator(".card-title").all_inner_texts() == ["Sunday oat latte"]
    screenshot(page, f"composer-edited-profile-{language}-{width}")


@pytest.mark.parametrize(("width", "language"), ALTERNATE)
def test_remove_reorder_add_photos_and_change_the_cover(page_at, live_server, width, language):
    author = UserFactory(username="mei")
    note = services.note_create(
        author=author, title="Three photos", images=[_upload((300, 400)), _upload((400, 300)), _upload((350, 350))]
    )
    page = _open(page_at, live_server, author, width=width, language=language)
    page.goto(f"/notes/{note.pk}/edit/")
    photos = page.locator("[data-photo-previews] > li")
    assert photos.count() == 3
    photos.nth(1).locator('[data-photo="remove"]').click()  # drop the 400x300 one
    page.locator('input[name="images"]').set_input_files([_file((500, 250), "wide.jpg")])
    assert photos.count() == 3
    photos.nth(2).locator('[data-photo="earlier"]').click()
    photos.nth(1).locator('[data-photo="earlier"]').click()  # the new photo is first: the cover
    assert photos.nth(0).locator(".photo-cover").is_visible()
    assert photos.nth(0).locator("img").get_attribute("alt") == "wide.jpg"
    screenshot(page, f"composer-photos-{language}-{width}")
    page.get_by_role("button", name=WORDS[language]["publish"], exact=True).click()
    page.wait_for_url(re.compile(rf"/notes/{note.pk}/$"))

    assert _sizes(note) == [(500, 250), (300, 400), (350, 350)]
    first_slide = page.locator(".carousel-slide img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first_slide.element_handle())
    assert first_slide.evaluate("img => img.naturalWidth / img.naturalHeight") == 2
    page.goto(f"/u/{author.username}/")
    cover = page.locator(".masonry .card-cover").first
    cover.scroll_into_view_if_needed()  # cards load their photo lazily
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cover.element_handle())
    assert cover.evaluate("img => img.naturalWidth / img.naturalHeight") == 2


@pytest.mark.parametrize(("width", "language"), EVERY)
def test_the_post_button_is_in_the_header_on_wide_screens(page_at, live_server, width, language):
    user = UserFactory(username="mei")
    page = _open(page_at, live_server, user, width=width, language=language)
    page.goto("/")
    header_post = page.locator(".topbar .nav-post")
    tabbar_post = page.locator(".tabbar .tabbar-post")
    if width >= 900:
        assert header_post.is_visible() and not tabbar_post.is_visible()
        assert header_post.inner_text().strip() == {"en": "Post", "zh-hans": "发布笔记"}[language]
        screenshot(page, f"composer-header-post-{language}-{width}")
        header_post.click()
    else:
        assert tabbar_post.is_visible() and not header_post.is_visible()
        tabbar_post.click()
    page.wait_for_url(re.compile(r"/notes/new/$"))


@pytest.mark.parametrize(("width", "language"), ALTERNATE)
def test_a_saved_draft_waits_in_the_drafts_tab_and_is_published_from_there(page_at, live_server, width, language):
    author = UserFactory(username="mei")
    words = WORDS[language]
    page = _open(page_at, live_server, author, width=width, language=language)
    page.goto("/notes/new/")
    page.get_by_label(words["title"], exact=True).fill("Half-written hike")
    page.get_by_role("button", name=words["draft"]).click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    draft = Note.objects.get(title="Half-written hike")
    assert draft.status == "draft"

    page.goto(f"/u/{author.username}/")
    page.locator(".tabs").get_by_role("link", name=words["drafts"]).click()
    row = page.locator(".draft-row", has_text="Half-written hike")
    assert row.is_visible()
    screenshot(page, f"composer-drafts-tab-{language}-{width}")
    row.click()
    page.wait_for_url(re.compile(rf"/notes/{draft.pk}/edit/$"))
    page.locator('input[name="images"]').set_input_files([_file((400, 500))])
    page.get_by_role("button", name=words["publish"], exact=True).click()
    page.wait_for_url(re.compile(rf"/notes/{draft.pk}/$"))
    draft.refresh_from_db()
    assert draft.status == "published" and _sizes(draft) == [(400, 500)]
    page.goto(f"/u/{author.username}/?tab=drafts")
    assert page.locator(".draft-row").count() == 0 and page.locator(".empty-state").is_visible()


@pytest.mark.parametrize(("width", "language"), ALTERNATE)
def test_composer_autocompletes_title_counter_and_photos_before_upload(page_at, live_server, width, language):
    author = UserFactory(username="mei")
    friend = UserFactory(username="linda", display_name="Linda Wu")
    Block.objects.create(blocker=author, blocked=UserFactory(username="linblocked"))
    Block.objects.create(blocker=UserFactory(username="linblocker"), blocked=author)
    Follow.objects.create(follower=author, followee=friend)
    TagStat.objects.bulk_create([TagStat(name="skincare", notes_count=9), TagStat(name="travel", notes_count=4)])
    words = WORDS[language]

    page = _open(page_at, live_server, author, width=width, language=language)
    page.goto("/notes/new/")
    title = page.get_by_label(words["title"], exact=True)
    title.fill("周末咖啡 Weekend")
    assert page.locator("#title-counter").inner_text() == "12"
    title.fill("一二三四五六七八九十一二三四五六七八九十")
    assert page.locator("#title-counter").inner_text() == "20"
    assert "is-full" in page.locator(".title-count").get_attribute("class")

    body = page.get_by_label(words["text"], exact=True)
    body.press_sequentially("Thanks @lin", delay=20)
    options = page.locator("#note-body + .autocomplete [role=option]")
    options.first.wait_for()
    assert options.count() == 1  # blocked either way: never offered
    assert options.first.inner_text().split() == ["Linda", "Wu", "@linda"]
    screenshot(page, f"composer-mention-{language}-{width}")
    body.press("Enter")
    body.press_sequentially("loves #ski", delay=20)
    options.first.wait_for()
    assert options.first.inner_text() == "#skincare"
    options.first.click()
    assert body.input_value() == "Thanks @linda loves #skincare "

    tags = page.locator("#note-tags")
    tags.press_sequentially("tra", delay=20)
    page.locator("#note-tags + .autocomplete [role=option]").first.wait_for()
    tags.press("Tab")
    assert tags.input_value() == "travel, "

    page.locator('input[name="images"]').set_input_files(
        [_file((300, 400), "a.jpg"), _file((400, 300), "b.jpg"), _file((500, 250), "c.jpg")]
    )
    photos = page.locator("[data-photo-previews] > li")
    photos.nth(1).locator('[data-photo="remove"]').click()
    photos.nth(1).locator('[data-photo="earlier"]').click()
    assert [photos.nth(i).locator("img").get_attribute("alt") for i in range(2)] == ["c.jpg", "a.jpg"]
    screenshot(page, f"composer-new-{language}-{width}")
    page.get_by_role("button", name=words["publish"], exact=True).click()
    page.wait_for_url(re.compile(r"/notes/\d+/$"))
    note = Note.objects.get(author=author)
    assert _sizes(note) == [(500, 250), (300, 400)]
    assert note.body == "Thanks @linda loves #skincare" and sorted(note.tags.names()) == ["skincare", "travel"]


@pytest.mark.parametrize(("width", "language"), ALTERNATE)
def test_the_comment_count_follows_new_comments_without_a_reload(page_at, live_server, width, language):
    note = services.note_create(author=UserFactory(username="mei"), title="Latte", images=[_upload((300, 300))])
    fan = UserFactory(username="lin")
    page = _open(page_at, live_server, fan, width=width, language=language)
    page.goto(f"/notes/{note.pk}/")
    counts = page.locator('[data-count="comment"]')
    assert counts.all_inner_texts() == ["0", "0"]
    box = page.locator("#comment-body")
    box.fill("Is it open on Sundays?")
    box.press("Enter")
    page.locator("[data-comment-list] .comment").first.wait_for()
    page.wait_for_function("() => document.querySelector('[data-count=comment]').textContent === '1'")
    assert counts.all_inner_texts() == ["1", "1"]
    box.fill("And on Mondays?")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-count=comment]').textContent === '2'")
    assert counts.all_inner_texts() == ["2", "2"]
    screenshot(page, f"composer-comment-count-{language}-{width}")
    page.reload()  # the server's rendering, with delete buttons on one's own comments
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator('[data-action="comment-delete"]').first.click()
    page.wait_for_function("() => document.querySelector('[data-count=comment]').textContent === '1'")
    assert counts.all_inner_texts() == ["1", "1"]
    note.refresh_from_db()
    assert note.comment_count == 1


@pytest.mark.parametrize(("width", "language"), ALTERNATE)
def test_form_errors_are_sentences(page_at, live_server, width, language):
    author = UserFactory(username="mei")
    note = services.note_create(author=author, title="Latte", images=[_upload((300, 300))])
    page = _open(page_at, live_server, author, width=width, language=language)
    page.goto(f"/notes/{note.pk}/edit/")
    error = page.locator("[data-form-error]")
    page.locator('[data-photo-previews] [data-photo="remove"]').click()  # a published note keeps one photo
    page.get_by_role("button", name=WORDS[language]["publish"], exact=True).click()
    error.wait_for()
    assert error.inner_text() == {"en": "Add at least one image.", "zh-hans": "请至少添加一张图片。"}[language]

    page.reload()
    page.locator("#note-lat").fill("north")  # a field error: led by the field's label
    page.locator("#note-lng").fill("120")
    page.get_by_role("button", name=WORDS[language]["publish"], exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-form-error]').textContent.length > 0")
    text = error.inner_text()
    assert text.startswith({"en": "Latitude: ", "zh-hans": "纬度："}[language]) and "object" not in text
    screenshot(page, f"composer-form-error-{language}-{width}")
    note.refresh_from_db()
    assert note.images.count() == 1 and note.lat is None
