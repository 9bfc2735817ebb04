"""API.md "Trust and safety": reports, notifications (made by a real worker), hidden
content 404 and absent from every list, suspended accounts."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.contract.conftest import (
    ADDRESS,
    PASSWORD,
    api,
    assert_error,
    assert_list,
    post_note,
    wait_for,
)
from tests.factories import BrandFactory, UserFactory


@pytest.mark.django_db
def test_reports_on_each_target_type(alice_client, bob_client, acme_client):
    note = post_note(bob_client, title="spammy")
    comment = bob_client.post(api(f"notes/{note['id']}/comments/"), {"body": "buy now"}, format="json").json()
    product = acme_client.post(
        api("products/"),
        {"name": "Fake", "description": "", "variants": [{"name": "x", "price": "1.00", "stock": 1}]},
        format="json",
    ).json()
    for target_type, target_id, reason in (
        ("note", note["id"], "spam"),
        ("comment", comment["id"], "abuse"),
        ("user", "bob", "fake"),
        ("product", product["id"], "illegal"),
    ):
        body = {"target_type": target_type, "target_id": target_id, "reason": reason, "detail": "see it"}
        response = alice_client.post(api("reports/"), body, format="json")
        assert response.status_code == 201, (target_type, response.content)
        again = alice_client.post(api("reports/"), body, format="json")
        assert again.status_code in (200, 201) and again.json()["id"] == response.json()["id"]  # one per target
    other = {"target_type": "note", "target_id": note["id"], "reason": "other"}
    assert_error(APIClient().post(api("reports/"), other, format="json"), 401)
    assert_error(alice_client.post(api("reports/"), {**other, "reason": "boring"}, format="json"), 400)
    assert_error(alice_client.post(api("reports/"), {**other, "target_type": "planet"}, format="json"), 400)
    assert_error(alice_client.post(api("reports/"), {**other, "target_id": 999999999}, format="json"), 404)
    assert_error(alice_client.post(api("reports/"), {"reason": "spam"}, format="json"), 400)


@pytest.mark.django_db
def test_hidden_note_is_404_to_others_and_absent_from_every_list(alice, alice_client, bob_client, acme_client):
    from posts.models import Note

    product = acme_client.post(
        api("products/"),
        {"name": "Cream", "description": "", "variants": [{"name": "x", "price": "1.00", "stock": 1}]},
        format="json",
    ).json()
    note = post_note(
        alice_client, title="hide me", tags="hiddentag", lat="31.23", lng="121.47", product_ids=str(product["id"])
    )
    visible = post_note(alice_client, title="keep me", tags="hiddentag", lat="31.23", lng="121.47")
    assert bob_client.post(api("users/alice/follow/")).status_code == 201
    board = bob_client.post(api("collections/"), {"name": "b"}, format="json").json()
    assert (
        bob_client.post(api(f"notes/{note['id']}/save/"), {"collection_id": board["id"]}, format="json").status_code
        == 201
    )
    Note.objects.filter(pk=note["id"]).update(is_hidden=True)  # as a moderator's hide does
    call_command("rank_explore", verbosity=0)

    url = api(f"notes/{note['id']}/")
    assert_error(bob_client.get(url), 404)
    assert_error(APIClient().get(url), 404)
    assert alice_client.get(url).status_code == 200  # its author still sees it
    staff = client_for(UserFactory(is_staff=True))
    assert staff.get(url).status_code == 200
    for action in ("like", "save", "view", "reshare", "comments"):
        assert_error(bob_client.post(url + f"{action}/", {"body": "x"}, format="json"), 404)
    assert_error(bob_client.get(url + "comments/"), 404)

    lists = [
        api("users/alice/notes/"),
        api("tags/hiddentag/notes/?sort=new"),
        api("tags/hiddentag/notes/?sort=hot"),
        api("feeds/follow/"),
        api("feeds/explore/"),
        api("feeds/nearby/?lat=31.23&lng=121.47"),
        api(f"collections/{board['id']}/notes/"),
    ]
    for list_url in lists:
        ids = [row["id"] for row in assert_list(bob_client.get(list_url))]
        assert note["id"] not in ids, list_url
    assert visible["id"] in [row["id"] for row in assert_list(bob_client.get(lists[0]))]
    product_notes = APIClient().get(api(f"products/{product['id']}/")).json()["notes"]
    assert note["id"] not in [n["id"] for n in product_notes]


@pytest.mark.django_db
def test_suspended_account_cannot_log_in_post_or_buy(acme_client):
    from accounts.models import User

    mallory = UserFactory(username="mallory")
    mallory.set_password(PASSWORD)
    mallory.save()
    client = client_for(mallory)
    product = acme_client.post(
        api("products/"),
        {"name": "Cream", "description": "", "variants": [{"name": "x", "price": "1.00", "stock": 5}]},
        format="json",
    ).json()
    note = post_note(client, title="before")
    assert (
        client.post(
            api("cart/items/"), {"variant_id": product["variants"][0]["id"], "quantity": 1}, format="json"
        ).status_code
        == 201
    )
    User.objects.filter(pk=mallory.pk).update(is_suspended=True)  # staff's "suspend" action

    login = APIClient().post(api("auth/token/"), {"username": "mallory", "password": PASSWORD}, format="json")
    assert_error(login, 400, 401, 403)
    assert "token" not in login.json()
    response = client.post(api("notes/"), {"title": "after", "images": []}, format="multipart")
    assert_error(response, 401, 403)
    assert_error(
        client.post(api("checkout/"), {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="s1"), 401, 403
    )
    assert_error(APIClient().get(api(f"notes/{note['id']}/")), 404)  # their content is hidden

    brand = BrandFactory()
    brand_client = client_for(brand)
    User.objects.filter(pk=brand.pk).update(is_suspended=True)
    assert_error(brand_client.post(api("products/"), {"name": "x", "variants": []}, format="json"), 401, 403)


@pytest.mark.django_db(transaction=True)
def test_mentions_likes_and_comments_notify_through_the_worker(celery_worker):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    alice_client, bob_client = client_for(alice), client_for(bob)
    note = post_note(alice_client, title="hello", body="thanks @bob for the tip")
    assert bob_client.post(api(f"notes/{note['id']}/like/")).status_code == 201
    assert (
        bob_client.post(api(f"notes/{note['id']}/comments/"), {"body": "nice @alice"}, format="json").status_code == 201
    )

    def rows(client):
        return assert_list(client.get(api("notifications/")))

    assert wait_for(lambda: len(rows(bob_client)) >= 1), "the mention never notified @bob"
    assert wait_for(lambda: len(rows(alice_client)) >= 2), rows(alice_client)
    body = alice_client.get(api("notifications/")).json()
    for row in body["results"]:
        assert set(row) >= {"id", "created_at"}
    assert alice_client.post(api("notifications/read/")).status_code == 204
    if "unread_count" in alice_client.get(api("notifications/")).json():
        assert alice_client.get(api("notifications/")).json()["unread_count"] == 0
    assert_error(APIClient().get(api("notifications/")), 401)
    assert_error(APIClient().post(api("notifications/read/")), 401)
