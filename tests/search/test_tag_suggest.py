"""GET search/tags/?q=: the composer's #tag autocomplete, which logs no search."""

import pytest

from search import querylog
from search.models import QueryCount, TagStat

pytestmark = pytest.mark.django_db


def test_tags_by_prefix_most_used_first(anon_client):
    TagStat.objects.bulk_create(
        [
            TagStat(name="skincare", notes_count=40),
            TagStat(name="skiing", notes_count=90),
            TagStat(name="ski-gone", notes_count=0),  # no searchable note carries it now
            TagStat(name="askim", notes_count=99),
        ]
    )
    response = anon_client.get("/api/v1/search/tags/", {"q": "#ski"})
    assert response.status_code == 200
    assert response.json() == {"results": [{"name": "skiing"}, {"name": "skincare"}], "next": None}


@pytest.mark.parametrize("q", ["", "#", "\x00", "x" * 300])
def test_empty_or_odd_input_is_an_empty_list(anon_client, q):
    response = anon_client.get("/api/v1/search/tags/", {"q": q})
    assert response.status_code == 200 and response.json()["results"] == []


def test_nothing_is_logged_as_a_search(api_client, user):
    TagStat.objects.create(name="coffee", notes_count=3)
    api_client.get("/api/v1/search/tags/", {"q": "cof"})
    assert not QueryCount.objects.exists()
    assert querylog.recent(user_id=user.pk) == []
