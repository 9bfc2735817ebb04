"""Many buyers, the last units, the same moment: exactly as many orders as units."""

import threading

import pytest
from django.db import connection

from shop.models import Order, Variant
from tests.conftest import client_for, requires_postgres
from tests.factories import UserFactory
from tests.shop.conftest import ADDRESS, make_product, put_in_cart

BUYERS, UNITS = 12, 3


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_buyers_race_for_the_last_three_units():
    variant = make_product(variants=(("Last ones", "49.00", UNITS),)).variants.get()
    buyers = [UserFactory() for _ in range(BUYERS)]
    for buyer in buyers:
        put_in_cart(buyer, variant, 1)
    clients = [client_for(buyer) for buyer in buyers]
    start = threading.Barrier(BUYERS)
    statuses: list[int] = []

    def buy(client):
        try:
            start.wait()
            response = client.post(
                "/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="race"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201] * UNITS + [409] * (BUYERS - UNITS)
    assert Order.objects.count() == UNITS
    variant.refresh_from_db()
    assert (variant.stock, variant.reserved) == (0, UNITS)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_one_buyer_double_submitting_the_same_key_gets_one_order():
    variant = make_product(variants=(("Only", "49.00", 5),)).variants.get()
    buyer = UserFactory()
    put_in_cart(buyer, variant, 2)
    start = threading.Barrier(4)
    results: list[tuple[int, int]] = []

    def submit():
        try:
            start.wait()
            response = client_for(buyer).post(
                "/api/v1/checkout/", {"shipping_address": ADDRESS}, format="json", HTTP_IDEMPOTENCY_KEY="dbl"
            )
            results.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(code for code, _id in results) == [201, 201, 201, 201]  # a replay answers as the first call did
    assert len({order_id for _code, order_id in results}) == 1
    assert Variant.objects.get(pk=variant.pk).stock == 3
