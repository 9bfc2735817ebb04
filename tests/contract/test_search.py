"""API.md `search/` and `search/suggest/`: Chinese sub-words, English, products, users, tags;
hidden content absent; empty and 10,000-character queries never a 5xx.

Transactional: the search index follows writes after commit, as in production.
"""

import pytest
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contract.conftest import api, assert_error, assert_list, assert_note, assert_user, post_note
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def search(query: str, kind: str = "notes", client=None, **extra):
    params = {"q": query, "type": kind, **extra}
    return (client or APIClient()).get(api("search/"), params)


@pytest.fixture
def world():
    lin = UserFactory(username="linxiaoyu", display_name="Lin Xiaoyu")
    author = client_for(lin)
    notes = {
        "cream": post_note(author, title="保湿面霜推荐", body="冬天用的保湿面霜，很好用 #护肤"),
        "lipstick": post_note(author, title="Lipstick swatches", body="Ten red lipsticks compared"),
        "hotpot": post_note(author, title="成都火锅", body="最好吃的火锅店"),
    }
    brand = BrandFactory(username="glowlab")
    product = client_for(brand).post(
        api("products/"),
        {
            "name": "Hydrating Face Cream 保湿面霜",
            "description": "A rich cream",
            "category": None,
            "variants": [{"name": "50 ml", "price": "129.00", "stock": 5}],
        },
        format="json",
    )
    assert product.status_code == 201, product.content
    return {"notes": notes, "product": product.json(), "lin": lin}


def ids(response) -> list:
    return [row["id"] for row in assert_list(response)]


def test_chinese_sub_words_find_the_note(world):
    cream = world["notes"]["cream"]["id"]
    for query in ("面霜", "保湿", "保湿面霜"):
        assert cream in ids(search(query)), query
    assert world["notes"]["hotpot"]["id"] not in ids(search("面霜"))
    rows = assert_list(search("面霜"))
    for row in rows:
        assert_note(row)


def test_english_words_and_stems(world):
    lipstick = world["notes"]["lipstick"]["id"]
    assert lipstick in ids(search("lipstick"))
    assert lipstick in ids(search("lipsticks"))
    assert lipstick in ids(search("Swatches"))


def test_products_users_and_tags(world):
    product_rows = assert_list(search("face cream", "products"))
    assert world["product"]["id"] in [p["id"] for p in product_rows]
    assert world["product"]["id"] in [p["id"] for p in assert_list(search("面霜", "products"))]
    users = assert_list(search("linxiao", "users"))
    assert "linxiaoyu" in [u["username"] for u in users]
    for user in users:
        assert_user(user)
    tags = assert_list(search("护肤", "tags"))
    assert "护肤" in [t["name"] for t in tags]


def test_hidden_content_is_absent_from_search(world):
    from posts.models import Note

    cream = world["notes"]["cream"]["id"]
    assert cream in ids(search("面霜"))
    note = Note.objects.get(pk=cream)
    note.is_hidden = True
    note.save(update_fields=["is_hidden"])  # as staff do in the admin
    assert cream not in ids(search("面霜"))
    assert cream not in ids(search("保湿"))


def test_suggest_completes_prefixes(world):
    response = APIClient().get(api("search/suggest/"), {"q": "lin"})
    assert response.status_code == 200
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    assert len(results) <= 10
    assert any("linxiaoyu" in str(row) for row in results), results
    response = APIClient().get(api("search/suggest/"), {"q": "护"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {},
        {"q": "   "},
        {"q": "x" * 10_000},
        {"q": "面霜" * 5_000},
        {"q": "'; DROP TABLE posts_note; --"},
        {"q": "&|!:*()<>"},
        {"q": "\x00abc"},
        {"q": "cream", "type": "bogus"},
        {"q": "cream", "cursor": "garbage"},
        {"q": "cream", "page_size": "abc"},
        {"q": "cream", "sort": "nope"},
    ],
)
def test_bad_search_queries_are_never_5xx(db, params):
    response = APIClient().get(api("search/"), params)
    assert response.status_code < 500, response.content[:300]
    if response.status_code == 200:
        assert_list(response)
    else:
        assert_error(response, 400, 404)


@pytest.mark.parametrize("query", ["", "x" * 10_000, "\x00", "%", "面" * 3000])
def test_bad_suggest_queries_are_never_5xx(db, query):
    response = APIClient().get(api("search/suggest/"), {"q": query})
    assert response.status_code < 500
    if response.status_code != 200:
        assert_error(response, 400)


def test_search_pages_by_cursor(db):
    author = client_for(UserFactory())
    for i in range(7):
        post_note(author, title=f"matcha latte {i}", body="matcha")
    first = search("matcha", page_size=3).json()
    assert len(first["results"]) == 3 and first["next"]
    seen, url = [], api("search/") + "?q=matcha&type=notes&page_size=3"
    while url:
        page = APIClient().get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == 7 and len(set(seen)) == 7
