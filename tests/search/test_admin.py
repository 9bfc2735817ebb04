import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.search.conftest import make_note, searched_by_many


@pytest.mark.django_db
def test_staff_see_tag_counts_and_query_counts(author):
    make_note(author, title="x", tags=["露营"])
    searched_by_many("露营")
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "露营" in client.get("/admin/search/tagstat/").content.decode()
    assert "露营" in client.get("/admin/search/querycount/").content.decode()
