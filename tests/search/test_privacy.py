"""Search privacy and poisoning: what one person searches reaches no one else.

Suggestions and trending show only queries that SEARCH_PUBLIC_QUERY_ACCOUNTS distinct
signed-in accounts searched; anonymous searches and new accounts' bursts do not trend;
spam keywords and queries staff banned never show; recent searches are one's own.
"""

import pytest
from django.test import Client, override_settings

from moderation.models import SpamKeyword
from search import querylog
from search.models import BannedQuery, QueryCount
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.moderation.conftest import ensure_moderators_group
from tests.search.conftest import searched_by_many, veteran

SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"
RECENT = "/api/v1/search/recent/"
PRIVATE = "divorce lawyer for anna"


@pytest.fixture(params=["redis", "database"])
def log_store(request, monkeypatch):
    """Both stores of the query log: Redis, and the database (the embedded default's)."""
    if request.param == "database":
        monkeypatch.setattr(querylog, "get_redis", lambda: None)
    return request.param


def suggested(client, prefix: str) -> list[str]:
    response = client.get(SUGGEST, {"q": prefix})
    assert response.status_code == 200, response.content
    return [item["text"] for item in response.json()["results"]]


def trending(client=None) -> list[str]:
    return (client or Client()).get(SUGGEST, {"q": ""}).json()["trending"]


@pytest.mark.django_db
def test_one_persons_queries_are_never_suggested_to_others(anon_client, log_store):
    worried = client_for(veteran())
    for _ in range(40):  # however often, on however many requests
        worried.get(SEARCH, {"q": PRIVATE})
    querylog.flush_counts()
    someone_else = client_for(veteran())
    for prefix in ("d", "di", "divorce", "divorce lawyer", PRIVATE):
        assert PRIVATE not in suggested(someone_else, prefix)
        assert PRIVATE not in suggested(anon_client, prefix)
    assert PRIVATE not in trending(someone_else)
    assert worried.get(RECENT).json()["results"] == [PRIVATE]  # still in their own history
    assert someone_else.get(RECENT).json()["results"] == []


@pytest.mark.django_db
def test_a_query_four_accounts_searched_stays_private_the_fifth_makes_it_public(anon_client, log_store):
    searched_by_many("camping stove", accounts=4)
    assert "camping stove" not in suggested(anon_client, "camp")
    assert "camping stove" not in trending()
    searched_by_many("camping stove", accounts=1)
    assert "camping stove" in suggested(anon_client, "camp")
    assert trending() == ["camping stove"]


@pytest.mark.django_db
@override_settings(SEARCH_PUBLIC_QUERY_ACCOUNTS=7)
def test_the_public_minimum_is_a_setting(anon_client):
    searched_by_many("camping stove", accounts=6)
    assert suggested(anon_client, "camp") == []
    searched_by_many("camping stove", accounts=1)
    assert suggested(anon_client, "camp") == ["camping stove"]


@pytest.mark.django_db
def test_anonymous_searches_count_for_nothing(anon_client):
    for _ in range(30):
        anon_client.get(SEARCH, {"q": "cheap followers scam"})
    querylog.flush_counts()
    assert trending() == []
    assert suggested(anon_client, "cheap") == []


@pytest.mark.django_db
def test_new_accounts_bursts_do_not_trend(anon_client, log_store):
    fresh = [UserFactory() for _ in range(30)]  # signed up today
    for person in fresh:
        querylog.search_log(user=person, query="cheap followers scam")
    querylog.flush_counts()
    assert trending() == []
    searched_by_many("cheap followers scam")  # established accounts do make it trend
    assert trending() == ["cheap followers scam"]


@pytest.mark.django_db
def test_spam_keywords_never_trend_nor_are_suggested(anon_client):
    SpamKeyword.objects.create(phrase="ＷＨＡＴＳＡＰＰ")  # folded like moderation folds posts
    searched_by_many("whatsapp 123 cheap bags")
    searched_by_many("wild camping")
    assert trending() == ["wild camping"]
    assert suggested(anon_client, "wh") == []


@pytest.mark.django_db
def test_staff_ban_a_trending_query_in_the_admin_and_it_does_not_come_back(anon_client):
    searched_by_many("fake giveaway")
    assert trending() == ["fake giveaway"]
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = admin.get("/admin/search/querycount/")
    assert "fake giveaway" in response.content.decode()
    row = QueryCount.objects.get(query="fake giveaway")
    response = admin.post("/admin/search/querycount/", {"action": "ban", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert BannedQuery.objects.filter(query="fake giveaway").exists()
    searched_by_many("fake giveaway", accounts=10)  # searched again, by more people
    assert trending() == []
    assert suggested(anon_client, "fake") == []
    assert admin.get("/admin/search/bannedquery/").status_code == 200


@pytest.mark.django_db
def test_moderators_may_ban_queries_without_being_superusers():
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    client = Client()
    client.force_login(moderator)
    assert "fake giveaway" not in trending()
    searched_by_many("fake giveaway")
    row = QueryCount.objects.get(query="fake giveaway")
    response = client.post("/admin/search/querycount/", {"action": "ban", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert trending() == []
    BannedQuery.objects.all().delete()
    response = client.post("/admin/search/bannedquery/add/", {"query": "  Fake   GIVEAWAY "})
    assert response.status_code == 302, response.content
    assert BannedQuery.objects.get().query == "fake giveaway"


@pytest.mark.django_db
def test_trending_counts_accounts_not_searches(log_store):
    for person in searched_by_many("wild camping"):
        for _ in range(5):
            querylog.search_log(user=person, query="wild camping")
    searched_by_many("night market", accounts=6)
    querylog.flush_counts()
    assert trending() == ["night market", "wild camping"]


@pytest.mark.django_db
def test_recent_searches_are_listed_and_cleared_by_their_owner_only(api_client, user, log_store):
    for query in ("面霜", "wild camping", "night market"):
        api_client.get(SEARCH, {"q": query})
    assert api_client.get(RECENT).json()["results"] == ["night market", "wild camping", "面霜"]
    assert api_client.delete(RECENT + "?q=Wild%20Camping").status_code == 204
    assert api_client.get(RECENT).json()["results"] == ["night market", "面霜"]
    assert api_client.delete(RECENT).status_code == 204
    assert api_client.get(RECENT).json()["results"] == []
    assert api_client.get(SUGGEST, {"q": ""}).json()["recent"] == []


@pytest.mark.django_db
def test_recent_searches_need_an_account(anon_client):
    assert anon_client.get(RECENT).status_code == 401
    assert anon_client.delete(RECENT).status_code == 401


@pytest.mark.django_db
def test_the_search_page_clears_recent_searches(browser_client, user):
    querylog.search_log(user=user, query="露营装备")
    assert "露营装备" in browser_client.get("/search/").content.decode()
    response = browser_client.post("/search/recent/clear/")
    assert response.status_code == 302
    assert "露营装备" not in browser_client.get("/search/").content.decode()
    assert querylog.recent(user_id=user.pk) == []
