"""GET /api/v1/search/ and search/suggest/: what is found, what never is, bad input, cost."""

from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import Block, User
from posts.models import Note
from search import querylog
from tests.conftest import client_for, requires_postgres
from tests.factories import BrandFactory, UserFactory
from tests.search.conftest import make_note, make_product, searched_by_many

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"
# Without Redis (embedded default) a new search is logged in the database: a dozen statements.
EMBEDDED_LOG_QUERIES = 0 if settings.REDIS_URL else 14  # distinct accounts, counts, recent


def suggested_texts(client, typed: str) -> list[str]:
    response = client.get(SUGGEST, {"q": typed})
    assert response.status_code == 200, response.content
    return [item["text"] for item in response.json()["results"]]


def ids(response) -> list:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Notes: Chinese, English, mixed ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["面霜", "保湿", "保湿面霜推荐", "面霜 推荐"])
def test_chinese_sub_words_find_the_note(anon_client, author, query):
    note = make_note(author, title="保湿面霜推荐", body="秋冬必备")
    make_note(author, title="防晒霜怎么选", body="通勤防晒")
    assert ids(anon_client.get(SEARCH, {"q": query})) == [note.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lipstick", "LIPSTICK", "lip", "red lipstick", "Dior 999"])
def test_english_words_match_case_insensitively_and_by_prefix(anon_client, author, query):
    note = make_note(author, title="Dior 999 swatch", body="A classic red Lipstick on medium skin.")
    make_note(author, title="Night cream", body="Moisturizing cream for dry skin.")
    assert ids(anon_client.get(SEARCH, {"q": query})) == [note.pk]


@pytest.mark.django_db
def test_mixed_text_tags_and_place_are_searchable(anon_client, author):
    note = make_note(author, title="iPhone拍照技巧", body="夜景模式", tags=["摄影"], place_name="外滩")
    for query in ("iphone 拍照", "摄影", "外滩 iPhone"):
        assert ids(anon_client.get(SEARCH, {"q": query})) == [note.pk], query


@pytest.mark.django_db
def test_results_are_the_note_json(anon_client, author):
    note = make_note(author, title="保湿面霜", body="好用", tags=["护肤"])
    [result] = anon_client.get(SEARCH, {"q": "面霜"}).json()["results"]
    assert result["id"] == note.pk
    assert result["title"] == "保湿面霜"
    assert result["author"]["username"] == author.username
    assert result["tags"] == ["护肤"]
    assert {"like_count", "save_count", "comment_count", "liked_by_me", "created_at", "images"} <= result.keys()


@pytest.mark.django_db
def test_notes_holding_every_word_rank_above_those_holding_one(anon_client, author):
    """上海 咖啡: coffee notes in Shanghai first, however popular the others are."""
    both = make_note(author, title="咖啡店探店", body="拿铁", city="上海")
    night = make_note(author, title="上海外滩", body="夜景", like_count=900, save_count=300)
    coffee = make_note(author, title="手冲咖啡", body="咖啡豆 咖啡", city="杭州", like_count=500)
    make_note(author, title="露营", body="装备")
    ranked = ids(anon_client.get(SEARCH, {"q": "上海 咖啡"}))
    assert ranked[0] == both.pk
    assert set(ranked[1:]) == {night.pk, coffee.pk}
    # Sorted searches keep to the notes holding every word.
    assert ids(anon_client.get(SEARCH, {"q": "上海 咖啡", "sort": "newest"})) == [both.pk]
    # No note holds both words: the notes holding either are shown instead of nothing.
    assert set(ids(anon_client.get(SEARCH, {"q": "咖啡 夜景"}))) == {both.pk, night.pk, coffee.pk}


@pytest.mark.django_db
def test_english_words_match_their_inflections(anon_client, author):
    cameras = make_note(author, title="Film cameras", body="Three cameras I love")
    trail = make_note(author, title="Trail running", body="An easy trail near the lake")
    assert ids(anon_client.get(SEARCH, {"q": "camera"})) == [cameras.pk]
    assert ids(anon_client.get(SEARCH, {"q": "Cameras"})) == [cameras.pk]
    assert ids(anon_client.get(SEARCH, {"q": "trails"})) == [trail.pk]
    assert ids(anon_client.get(SEARCH, {"q": "runs"})) == [trail.pk]


@pytest.mark.django_db
def test_products_are_found_by_english_and_chinese_names_and_descriptions(anon_client):
    tent = make_product(name="Ultralight tents 帐篷", description="Two-person tent for hiking trails")
    stove = make_product(name="露营炉", description="Compact camping stoves, 户外野营")
    for query, found in [
        ("tent", tent),
        ("帐篷", tent),
        ("hike", tent),
        ("trail", tent),
        ("stove", stove),
        ("野营", stove),
        ("camp", stove),
        ("露营炉", stove),
    ]:
        assert ids(anon_client.get(SEARCH, {"q": query, "type": "products"})) == [found.pk], query


# --- Ranking and sorts -------------------------------------------------------------------


@pytest.mark.django_db
def test_relevant_blends_text_engagement_and_freshness(anon_client, author):
    quiet = make_note(author, title="面霜", body="保湿面霜", like_count=0)
    loved = make_note(author, title="面霜", body="保湿面霜", like_count=500, save_count=200)
    stale = make_note(author, title="面霜", body="保湿面霜", like_count=500, save_count=200, days_old=400)
    body_only = make_note(author, title="秋冬好物", body="一款面霜", like_count=500, save_count=200)
    ranked = ids(anon_client.get(SEARCH, {"q": "面霜"}))
    # Engagement lifts, age sinks (but a year-old hit still beats an ignored one)...
    assert set(ranked[:2]) == {loved.pk, body_only.pk}
    assert ranked[2:] == [stale.pk, quiet.pk]
    if settings.IS_POSTGRES:  # ...and the word in the title counts more (ts_rank; not on SQLite)
        assert ranked[0] == loved.pk


@pytest.mark.django_db
def test_sort_newest_and_most_liked(anon_client, author):
    old = make_note(author, title="露营装备", like_count=90, days_old=30)
    new = make_note(author, title="露营清单", like_count=5)
    mid = make_note(author, title="露营攻略", like_count=40, days_old=3)
    assert ids(anon_client.get(SEARCH, {"q": "露营", "sort": "newest"})) == [new.pk, mid.pk, old.pk]
    assert ids(anon_client.get(SEARCH, {"q": "露营", "sort": "most_liked"})) == [old.pk, mid.pk, new.pk]


# --- Never shown: hidden, deleted, suspended, blocked --------------------------------------


@pytest.mark.django_db
def test_hidden_deleted_draft_and_suspended_content_is_absent(anon_client, author):
    visible = make_note(author, title="防晒霜推荐")
    hidden = make_note(author, title="防晒霜测评")
    deleted = make_note(author, title="防晒霜清单")
    suspended_author = UserFactory()
    by_suspended = make_note(suspended_author, title="防晒霜红黑榜")
    # Changed behind the index's back: the query-time filter alone must keep them out.
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Note.objects.filter(pk=deleted.pk).update(status=Note.Status.DELETED)
    User.objects.filter(pk=suspended_author.pk).update(is_suspended=True)
    make_note(author, title="防晒霜草稿", status=Note.Status.DRAFT)
    assert ids(anon_client.get(SEARCH, {"q": "防晒霜"})) == [visible.pk]
    assert by_suspended.pk


@pytest.mark.django_db
def test_hidden_notes_are_absent_even_for_their_author(author):
    hidden = make_note(author, title="防晒霜测评")
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert ids(client_for(author).get(SEARCH, {"q": "防晒霜"})) == []


@pytest.mark.django_db
def test_blocked_accounts_are_absent_both_ways(user, other_user):
    make_note(other_user, title="咖啡店探店")
    Block.objects.create(blocker=user, blocked=other_user)
    assert ids(client_for(user).get(SEARCH, {"q": "咖啡"})) == []
    make_note(user, title="咖啡拉花")
    assert ids(client_for(other_user).get(SEARCH, {"q": "拉花"})) == []
    assert ids(client_for(user).get(SEARCH, {"q": other_user.username, "type": "users"})) == []


# --- Products ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_products_by_name_description_brand_and_price_sorts(anon_client):
    brand = BrandFactory(display_name="兰蔻")
    serum = make_product(brand, name="小黑瓶精华", description="修护肌底", price="760.00")
    cream = make_product(brand, name="Hydra Cream 面霜", description="moisturizing", price="129.00")
    make_product(name="Camping tent", price="999.00")
    assert ids(anon_client.get(SEARCH, {"q": "精华", "type": "products"})) == [serum.pk]
    assert ids(anon_client.get(SEARCH, {"q": "hydra", "type": "products"})) == [cream.pk]
    by_brand = ids(anon_client.get(SEARCH, {"q": "兰蔻", "type": "products", "sort": "price_asc"}))
    assert by_brand == [cream.pk, serum.pk]
    by_brand = ids(anon_client.get(SEARCH, {"q": "兰蔻", "type": "products", "sort": "price_desc"}))
    assert by_brand == [serum.pk, cream.pk]
    result = anon_client.get(SEARCH, {"q": "hydra", "type": "products"}).json()["results"][0]
    assert result["name"] == "Hydra Cream 面霜"
    assert Decimal(result["price_min"]) == Decimal("129.00")
    assert result["brand"]["username"] == brand.username


@pytest.mark.django_db
def test_unlisted_delisted_and_suspended_brand_products_are_absent(anon_client):
    make_product(name="Hydra cream", is_listed=False, index=False)
    delisted = make_product(name="Hydra serum")
    suspended = BrandFactory()
    by_suspended = make_product(suspended, name="Hydra mask")
    from shop.models import Product

    Product.objects.filter(pk=delisted.pk).update(is_delisted=True)
    User.objects.filter(pk=suspended.pk).update(is_suspended=True)
    assert by_suspended.pk
    assert ids(anon_client.get(SEARCH, {"q": "hydra", "type": "products"})) == []


# --- Users and tags --------------------------------------------------------------------------


@pytest.mark.django_db
def test_users_by_username_prefix_and_display_name(anon_client):
    exact = UserFactory(username="meili", display_name="Mei Li", followers_count=1)
    popular = UserFactory(username="meilin_travels", display_name="Lin", followers_count=900)
    chinese = UserFactory(username="xiaomei", display_name="小美爱护肤")
    UserFactory(username="amei_suspended", display_name="Mei", is_suspended=True)
    found = [u["username"] for u in anon_client.get(SEARCH, {"q": "meili", "type": "users"}).json()["results"]]
    assert found == [exact.username, popular.username]
    found = [u["username"] for u in anon_client.get(SEARCH, {"q": "@MEI", "type": "users"}).json()["results"]]
    assert found[:2] == [popular.username, exact.username]
    assert "amei_suspended" not in found
    found = [u["username"] for u in anon_client.get(SEARCH, {"q": "小美", "type": "users"}).json()["results"]]
    assert found == [chinese.username]
    assert {"display_name", "avatar_url", "followers_count", "followed_by_me"} <= set(
        anon_client.get(SEARCH, {"q": "meili", "type": "users"}).json()["results"][0]
    )


@pytest.mark.django_db
def test_tags_with_their_searchable_notes_count(anon_client, author):
    make_note(author, title="a", tags=["护肤", "护肤心得"])
    make_note(author, title="b", tags=["护肤"])
    hidden = make_note(author, title="c", tags=["护肤"])
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)
    from search import indexing

    indexing.notes_index(note_ids=[hidden.pk])  # what the moderation service's call does
    response = anon_client.get(SEARCH, {"q": "#护肤", "type": "tags"})
    assert response.json()["results"] == [{"name": "护肤", "notes_count": 2}, {"name": "护肤心得", "notes_count": 1}]


# --- Bad input: a clean 4xx, never a 5xx --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "empty_query"),
        ({"q": ""}, "empty_query"),
        ({"q": "   "}, "empty_query"),
        ({"q": "\x00\t"}, "empty_query"),
        ({"q": "面霜" * 5000}, "query_too_long"),
        ({"q": "a" * 10_000}, "query_too_long"),
        ({"q": "面霜", "type": "videos"}, "invalid_type"),
        ({"q": "面霜", "sort": "price_asc"}, "invalid_sort"),
        ({"q": "面霜", "type": "products", "sort": "newest"}, "invalid_sort"),
        ({"q": "面霜", "cursor": "garbage!"}, "invalid_cursor"),
        ({"q": "面霜", "cursor": "bzotNQ"}, "invalid_cursor"),  # "o:-5"
    ],
)
def test_bad_input_is_a_400_with_a_message(anon_client, params, code):
    response = anon_client.get(SEARCH, params)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!!!", "🙂", "%_%", "' OR 1=1 --", "a:* & b", "\\", "<script>", "a\x00b\n"])
def test_odd_queries_find_nothing_quietly(anon_client, author, query):
    make_note(author, title="面霜")
    for kind in ("notes", "products", "users", "tags"):
        response = anon_client.get(SEARCH, {"q": query, "type": kind})
        assert response.status_code == 200, (kind, response.content)
        assert response.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["\x00", "面\x00", "%", "'", "_", "🙂"])
def test_suggest_takes_any_prefix(anon_client, prefix):
    response = anon_client.get(SUGGEST, {"q": prefix})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.django_db
def test_suggest_rejects_huge_input(anon_client):
    response = anon_client.get(SUGGEST, {"q": "x" * 10_000})
    assert response.status_code == 400
    assert response.json()["code"] == "query_too_long"


# --- Paging and cost ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_cursor_pages_cover_every_result_once(anon_client, author):
    notes = {make_note(author, title=f"面膜 {i}", like_count=i).pk for i in range(5)}
    first = anon_client.get(SEARCH, {"q": "面膜", "page_size": 2}).json()
    second = anon_client.get(first["next"]).json()
    third = anon_client.get(second["next"]).json()
    seen = [n["id"] for page in (first, second, third) for n in page["results"]]
    assert sorted(seen) == sorted(notes)
    assert third["next"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "max_queries"), [("notes", 13), ("products", 10), ("users", 6), ("tags", 6)])
def test_a_page_costs_a_bounded_number_of_queries(kind, max_queries, user, django_assert_max_num_queries):
    """Fixed whatever the page length: auth, blocks, match, rows, hydration and its prefetches.

    Notes and products match their hot tier, then the rest (search/tiers.py), and ask the
    planner how common the words are there (once per process and words for a while).
    """
    brand = BrandFactory(username="lipbrand")
    for i in range(25):
        author = UserFactory(username=f"lipfan{i}")
        make_note(author, title=f"lip {i}", tags=[f"lip{i}"], like_count=i)
        make_product(brand, name=f"Lip tint {i}")
        Block.objects.create(blocker=author, blocked=UserFactory()) if i == 0 else None
    client = client_for(user)
    with django_assert_max_num_queries(max_queries + EMBEDDED_LOG_QUERIES):
        response = client.get(SEARCH, {"q": "lip", "type": kind})
    assert len(response.json()["results"]) == 20


# --- Suggestions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suggest_completes_from_tags_users_and_popular_queries(anon_client, author, django_assert_max_num_queries):
    make_note(author, title="x", tags=["护肤心得", "护肤"])
    UserFactory(username="hufu_daily")
    searched_by_many("护肤品推荐")
    # Popular queries (with banned and spam filters), the words of notes' titles and
    # products' names (after the hot tiers' floors), tags, users.
    with django_assert_max_num_queries(9):
        response = anon_client.get(SUGGEST, {"q": "护肤"})
    texts = [item["text"] for item in response.json()["results"]]
    assert set(texts) == {"护肤品推荐", "护肤", "护肤心得"}
    assert response.json()["results"][0] == {"type": "query", "text": "护肤品推荐"}
    users = anon_client.get(SUGGEST, {"q": "HUFU"}).json()["results"]
    assert users == [
        {"type": "user", "text": "hufu_daily", "username": "hufu_daily", "display_name": users[0]["display_name"]}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cof", "coffee"),
        ("sun", "sunscreen"),
        ("Coffe", "coffee"),
        ("camer", "cameras"),
        ("咖", "咖啡"),
        ("iced cof", "iced coffee"),
    ],
)
def test_suggest_completes_words_of_public_titles_and_product_names(anon_client, author, typed, expected):
    make_note(author, title="Iced coffee at home", body="cold brew")
    make_note(author, title="咖啡店探店", body="拿铁")
    make_note(author, title="Film cameras", body="")
    make_product(name="Mineral sunscreen SPF50")
    assert expected in suggested_texts(anon_client, typed)


@pytest.mark.django_db
def test_suggest_never_completes_from_hidden_notes_or_unlisted_products(anon_client, author):
    hidden = make_note(author, title="Secret coffee recipe")
    Note.objects.filter(pk=hidden.pk).update(is_hidden=True)  # behind the index's back
    make_product(name="Secret sunscreen", is_listed=False, index=False)
    assert "secret" not in suggested_texts(anon_client, "secr")


@pytest.mark.django_db
def test_suggest_returns_at_most_ten(anon_client, author):
    make_note(author, title="x", tags=[f"tag{i}" for i in range(15)])
    for i in range(15):
        UserFactory(username=f"tagger{i}")
    assert len(anon_client.get(SUGGEST, {"q": "tag"}).json()["results"]) == 10


@pytest.mark.django_db
def test_empty_suggest_shows_recent_and_trending(api_client, user, author):
    make_note(author, title="面霜")
    api_client.get(SEARCH, {"q": "面霜"})
    api_client.get(SEARCH, {"q": "Sunscreen  SPF50"})
    api_client.get(SEARCH, {"q": "面霜", "cursor": "bzoyMA"})  # a next page is not a new search
    searched_by_many("面霜")
    body = api_client.get(SUGGEST, {"q": ""}).json()
    assert body["results"] == []
    assert body["recent"] == ["sunscreen spf50", "面霜"]
    assert body["trending"] == ["面霜"]  # one account's "sunscreen spf50" is its own
    assert querylog.recent(user_id=UserFactory().pk) == []


@pytest.mark.django_db
def test_whole_words_first_then_the_last_latin_word_as_a_prefix(anon_client, author):
    word = make_note(author, title="Lip balm", body="for dry lips")
    longer = make_note(author, title="Lipstick swatch")
    assert ids(anon_client.get(SEARCH, {"q": "lip"})) == [word.pk]  # "lip" is a word: exact wins
    assert ids(anon_client.get(SEARCH, {"q": "lipst"})) == [longer.pk]  # no word "lipst": prefix
    # Sorted searches page through the prefix matches too.
    other = make_note(author, title="Lipstick haul", days_old=1)
    first = anon_client.get(SEARCH, {"q": "lipst", "sort": "newest", "page_size": 1}).json()
    second = anon_client.get(first["next"]).json()
    assert [n["id"] for n in first["results"] + second["results"]] == [longer.pk, other.pk]
    assert second["next"] is None


@requires_postgres
@pytest.mark.django_db
def test_suggest_tolerates_a_typo_in_a_tag(anon_client, author):
    make_note(author, title="x", tags=["skincare"])
    texts = [item["text"] for item in anon_client.get(SUGGEST, {"q": "skincaer"}).json()["results"]]
    assert texts == ["skincare"]


@pytest.mark.django_db
def test_relevance_ranks_only_the_best_candidates_by_prior(anon_client, author, monkeypatch):
    """Past CANDIDATES matches, the `hot` prior (engagement, recency) picks who competes."""
    from search import selectors

    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    cold = make_note(author, title="面膜", days_old=60)
    warm = make_note(author, title="面膜", like_count=10)
    hot = make_note(author, title="面膜", like_count=100)
    found = ids(anon_client.get(SEARCH, {"q": "面膜"}))
    assert found == [hot.pk, warm.pk]
    assert cold.pk not in found
