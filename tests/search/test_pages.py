"""The /search/ page: tabs, highlighted and escaped results, the empty search, bad input."""

import pytest

from search import querylog
from tests.factories import BrandFactory, UserFactory
from tests.search.conftest import make_note, make_product, searched_by_many

PAGE = "/search/"


@pytest.mark.django_db
def test_notes_tab_shows_cards_with_the_query_terms_for_highlighting(client, author, django_assert_max_num_queries):
    for i in range(12):
        make_note(author, title=f"保湿面霜 {i}", tags=["护肤"])
    with django_assert_max_num_queries(12):
        response = client.get(PAGE, {"q": "面霜"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card"') == 12
    assert 'data-terms="面霜"' in html
    assert 'aria-current="page">Notes</a>' in html
    assert "js/search.js" in html


@pytest.mark.django_db
def test_product_results_are_escaped_then_marked(client):
    make_product(BrandFactory(display_name="Brand<i>"), name="<b>Hydra</b> cream")
    html = client.get(PAGE, {"q": "hydra", "type": "products"}).content.decode()
    assert "&lt;b&gt;<mark>Hydra</mark>&lt;/b&gt; cream" in html
    assert "Brand&lt;i&gt;" in html
    assert "<b>Hydra" not in html


@pytest.mark.django_db
def test_users_and_tags_tabs(browser_client, author, django_assert_max_num_queries):
    make_note(author, title="x", tags=["护肤心得"])
    UserFactory(username="hufu_fan", display_name="护肤达人")
    users = browser_client.get(PAGE, {"q": "护肤", "type": "users"}).content.decode()
    assert "/u/hufu_fan/" in users
    assert "<mark>护肤</mark>达人" in users
    with django_assert_max_num_queries(8):
        tags = browser_client.get(PAGE, {"q": "护肤", "type": "tags"}).content.decode()
    assert 'href="/tags/%E6%8A%A4%E8%82%A4%E5%BF%83%E5%BE%97/"' in tags
    assert "#<mark>护肤</mark>心得" in tags


@pytest.mark.django_db
def test_empty_search_shows_trending_and_recent(browser_client, user):
    querylog.search_log(user=user, query="露营装备")
    searched_by_many("<script>x</script>")
    html = browser_client.get(PAGE).content.decode()
    assert "Trending today" in html
    assert "Recent searches" in html
    assert "?q=%E9%9C%B2%E8%90%A5%E8%A3%85%E5%A4%87" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x" not in html


@pytest.mark.django_db
def test_no_results_and_bad_input_are_explained(client):
    nothing = client.get(PAGE, {"q": "不存在的东西"})
    assert nothing.status_code == 200
    assert "Nothing found" in nothing.content.decode()
    huge = client.get(PAGE, {"q": "x" * 10_000})
    assert huge.status_code == 400
    assert "at most 200 characters" in huge.content.decode()
    assert client.get(PAGE, {"q": "面霜", "type": "nope"}).status_code == 400
    assert client.get(PAGE, {"q": "面霜", "page": "abc"}).status_code == 400  # issue 13: a bad page is a 400


@pytest.mark.django_db
def test_odd_tag_names_still_render(client, author):
    make_note(author, title="x", tags=["a/b 护肤"])
    response = client.get(PAGE, {"q": "护肤", "type": "tags"})
    assert response.status_code == 200
    assert 'href="/tags/a%2Fb%20%E6%8A%A4%E8%82%A4/"' in response.content.decode()
