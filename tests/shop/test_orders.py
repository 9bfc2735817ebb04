"""Orders: pay (idempotent, declines), cancel, ship, deliver, refund, and who may see what."""

import pytest

from shop.models import Order, Payment, Variant
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory
from tests.shop.conftest import paid_order, place_order

pytestmark = pytest.mark.django_db
GOOD, DECLINED = "4242424242424242", "4000000000000002"


def _stock(variant):
    variant.refresh_from_db()
    return variant.stock, variant.reserved


def test_pay_succeeds_once_and_is_idempotent(user, api_client, variant):
    order = place_order(user, variant, 2)
    response = api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": "4242 4242 4242 4242"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid" and response.json()["expires_at"] is None
    again = api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD})
    assert again.status_code == 200 and again.json()["status"] == "paid"
    assert Payment.objects.filter(status="succeeded").count() == 1
    assert _stock(variant) == (8, 0)
    variant.product.refresh_from_db()
    assert variant.product.sold_count == 2


def test_declined_card_is_402_and_order_stays_payable(user, api_client, variant):
    order = place_order(user, variant)
    response = api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": DECLINED})
    assert response.status_code == 402 and response.json()["code"] == "payment_declined"
    assert Order.objects.get(pk=order.pk).status == "pending_payment"
    assert Payment.objects.get().status == "declined"
    assert api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD}).status_code == 200


@pytest.mark.parametrize("card", ["", "abcd", "4242424242424241", "1234"])
def test_invalid_card_number_is_400(user, api_client, variant, card):
    order = place_order(user, variant)
    assert api_client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": card}).status_code == 400
    assert not Payment.objects.exists()


def test_only_the_buyer_sees_and_acts_on_an_order(user, variant):
    order = place_order(user, variant)
    stranger = client_for(UserFactory())
    other_brand = client_for(BrandFactory())
    for client in (stranger, other_brand):
        assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
        assert client.post(f"/api/v1/orders/{order.pk}/pay/", {"card_number": GOOD}).status_code == 404
        assert client.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 404
        assert client.get("/api/v1/orders/").json()["results"] == []
    assert other_brand.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": "SF1"}).status_code == 404
    assert stranger.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": "SF1"}).status_code == 403
    assert client_for(variant.product.brand).get(f"/api/v1/orders/{order.pk}/").status_code == 200
    assert client_for(user).get("/api/v1/orders/abc/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "pending_payment"


def test_orders_list_is_the_buyers_with_bounded_queries(user, api_client, product, django_assert_max_num_queries):
    small, big = product.variants.all()
    for i in range(4):
        place_order(user, small if i % 2 else big, 1, key=f"k{i}")
    with django_assert_max_num_queries(5):
        response = api_client.get("/api/v1/orders/")
    assert len(response.json()["results"]) == 4


def test_cancel_pending_releases_and_paid_restores(user, api_client, variant):
    pending = place_order(user, variant, 2, key="a")
    assert api_client.post(f"/api/v1/orders/{pending.pk}/cancel/").json()["status"] == "cancelled"
    assert _stock(variant) == (10, 0)
    paid = paid_order(user, variant, 3, key="b")
    assert _stock(variant) == (7, 0)
    response = api_client.post(f"/api/v1/orders/{paid.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert _stock(variant) == (10, 0)
    assert Payment.objects.get(order=paid).status == "refunded"
    # Cancelling again is harmless; paying a cancelled order is a conflict.
    assert api_client.post(f"/api/v1/orders/{paid.pk}/cancel/").status_code == 200
    assert _stock(variant) == (10, 0)
    assert api_client.post(f"/api/v1/orders/{pending.pk}/pay/", {"card_number": GOOD}).status_code == 409


def test_brand_ships_then_buyer_cannot_cancel_then_receives(user, api_client, variant):
    order = paid_order(user, variant)
    brand = client_for(variant.product.brand)
    listed = brand.get("/api/v1/brand/orders/?status=paid").json()["results"]
    assert [o["id"] for o in listed] == [order.pk]
    assert brand.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": ""}).status_code == 400
    shipped = brand.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": "SF123456"})
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    assert shipped.json()["tracking_number"] == "SF123456"
    assert brand.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": "X"}).json()["tracking_number"] == (
        "SF123456"
    )
    assert api_client.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 409
    assert api_client.post(f"/api/v1/orders/{order.pk}/receive/").json()["status"] == "delivered"


def test_cannot_ship_unpaid(user, variant):
    order = place_order(user, variant)
    response = client_for(variant.product.brand).post(
        f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": "A"}
    )
    assert response.status_code == 409


def test_brand_orders_list_is_403_for_personal_accounts(api_client):
    assert api_client.get("/api/v1/brand/orders/").status_code == 403


def test_refund_by_brand_or_staff_restores_stock(user, variant):
    order = paid_order(user, variant, 2)
    assert client_for(user).post(f"/api/v1/brand/orders/{order.pk}/refund/").status_code == 403
    response = client_for(variant.product.brand).post(f"/api/v1/brand/orders/{order.pk}/refund/")
    assert response.status_code == 200 and response.json()["status"] == "refunded"
    assert _stock(variant) == (10, 0)
    second = paid_order(user, variant, 1, key="k2")
    staff = UserFactory(is_staff=True)
    assert client_for(staff).post(f"/api/v1/brand/orders/{second.pk}/refund/").status_code == 200
    assert Variant.objects.get(pk=variant.pk).stock == 10


def test_odd_json_types_are_400_not_500(user, api_client, variant):
    order = paid_order(user, variant)
    brand = client_for(variant.product.brand)
    assert (
        brand.post(f"/api/v1/brand/orders/{order.pk}/ship/", {"tracking_number": 12345}, format="json").json()[
            "tracking_number"
        ]
        == "12345"
    )
    pending = place_order(user, variant, key="k9")
    assert (
        api_client.post(f"/api/v1/orders/{pending.pk}/pay/", {"card_number": ["x"]}, format="json").status_code == 400
    )
