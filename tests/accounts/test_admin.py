"""Staff tools: the user admin's list, search, filters and moderation actions."""

import pytest

from accounts.models import ApiToken, User
from accounts.services import token_issue
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = UserFactory(username="staffer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_user_changelist_search_and_filters(staff_client, django_assert_max_num_queries):
    UserFactory.create_batch(5)
    BrandFactory(username="glowco", display_name="Glow Cosmetics")
    with django_assert_max_num_queries(12):
        response = staff_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    found = staff_client.get("/admin/accounts/user/", {"q": "Cosmetics"}).context["cl"].result_list
    assert [u.username for u in found] == ["glowco"]
    brands = staff_client.get("/admin/accounts/user/", {"account_type__exact": "brand"}).context["cl"].result_list
    assert [u.username for u in brands] == ["glowco"]
    for query in ({"is_verified__exact": "1"}, {"is_suspended__exact": "0"}, {"date_joined__gte": "2000-01-01"}):
        assert staff_client.get("/admin/accounts/user/", query).status_code == 200


def test_user_change_and_add_pages_render(staff_client, user):
    assert staff_client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200
    assert staff_client.get("/admin/accounts/user/add/").status_code == 200
    assert staff_client.get("/admin/accounts/follow/").status_code == 200
    assert staff_client.get("/admin/accounts/block/").status_code == 200


def test_verify_action_verifies_brands_only(staff_client):
    brand = BrandFactory(is_verified=False)
    person = UserFactory()
    staff_client.post("/admin/accounts/user/", {"action": "verify_brands", "_selected_action": [brand.pk, person.pk]})
    brand.refresh_from_db()
    person.refresh_from_db()
    assert brand.is_verified is True
    assert person.is_verified is False


def test_suspend_and_unsuspend_actions(staff_client, user):
    token_issue(user=user)
    staff_client.post("/admin/accounts/user/", {"action": "suspend_users", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert user.is_suspended is True
    assert not ApiToken.objects.filter(user=user).exists()
    staff_client.post("/admin/accounts/user/", {"action": "unsuspend_users", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert user.is_suspended is False


def test_staff_cannot_suspend_themselves(staff_client):
    staff_client.post("/admin/accounts/user/", {"action": "suspend_users", "_selected_action": [staff_client.admin.pk]})
    assert User.objects.get(pk=staff_client.admin.pk).is_suspended is False
