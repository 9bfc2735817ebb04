"""The partner API: keys, 404s, rate limit, CORS, ETag/304, what notes show and in which order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import services as moderation_services
from partners import counters, services
from partners.models import PartnerDay
from posts.models import Note
from shop.models import Order
from tests.factories import UserFactory
from tests.partners.conftest import EAN13, GTIN14, ORIGIN, OTHER_ORIGIN, api_get, tag_note
from tests.shop.conftest import make_product, place_order


@pytest.fixture(autouse=True)
def _fresh_bodies(settings):
    settings.PARTNER_CACHE_SECONDS = 0  # each test sees its own writes at once


def test_the_body_has_the_product_its_notes_and_links_with_the_ref(anon_client, partner, key, product):
    note = tag_note(product, like_count=3)
    response = api_get(anon_client, EAN13, key=key)
    assert response.status_code == 200
    body = response.json()
    assert body["product"]["id"] == product.pk
    assert body["product"]["gtin"] == EAN13
    assert body["notes_count"] == 1
    assert [n["id"] for n in body["notes"]] == [note.pk]
    assert body["notes"][0]["url"].endswith(f"/embed/go/notes/{note.pk}/?ref=partner:shop-example")
    assert "ref=partner:shop-example" in body["url"]
    assert "email" not in response.content.decode()


@pytest.mark.parametrize("sent", [None, "", "rbk_nope", "Token abc", "rbk_" + "x" * 200])
def test_a_missing_or_unknown_key_is_401(anon_client, product, sent):
    response = api_get(anon_client, EAN13, key=sent)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_revoked_partners_key_is_401(anon_client, partner, key, product):
    assert api_get(anon_client, EAN13, key=key).status_code == 200
    services.partner_revoke(partner=partner)
    assert api_get(anon_client, EAN13, key=key).status_code == 401


def test_a_rotated_key_works_for_the_grace_period_then_stops(anon_client, partner, key, product):
    new_key = services.partner_key_rotate(partner=partner, grace=timedelta(hours=1))
    assert api_get(anon_client, EAN13, key=key).status_code == 200  # old key, within the grace
    assert api_get(anon_client, EAN13, key=new_key).status_code == 200
    partner.keys.exclude(expires_at=None).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_get(anon_client, EAN13, key=key).status_code == 401
    assert api_get(anon_client, EAN13, key=new_key).status_code == 200


def test_keys_are_stored_only_as_hashes(partner, key):
    stored = partner.keys.get()
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == services.key_hash(key)


@pytest.mark.parametrize("gtin", ["4006381333932", "96385074", "abc", "1" * 40, "٣٣٣٣٣٣٣٣"])
def test_an_unknown_or_malformed_gtin_is_404(anon_client, key, product, gtin):
    response = api_get(anon_client, gtin, key=key)
    assert response.status_code == 404
    assert response.json()["code"] in ("unknown_gtin", "invalid_gtin")


def test_an_unlisted_product_is_404(anon_client, key, product):
    product.is_listed = False
    product.save(update_fields=["is_listed"])
    assert api_get(anon_client, EAN13, key=key).status_code == 404


def test_any_spelling_of_the_gtin_and_a_variants_gtin_find_the_product(anon_client, key, product):
    variant = product.variants.get()
    variant.gtin = "00000096385074"
    variant.save(update_fields=["gtin"])
    for gtin in (EAN13, GTIN14, "96385074"):
        assert api_get(anon_client, gtin, key=key).json()["product"]["id"] == product.pk


def test_over_the_partners_rate_is_429_with_retry_after(anon_client, partner, key, product):
    partner.rate_per_minute = 3
    partner.save(update_fields=["rate_per_minute"])
    codes = [api_get(anon_client, EAN13, key=key).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api_get(anon_client, EAN13, key=key)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    _other, other_key = services.partner_create(name="Other", origins=[OTHER_ORIGIN])
    assert api_get(anon_client, EAN13, key=other_key).status_code == 200  # each key its own budget


def test_cors_allows_only_the_partners_own_origins(anon_client, partner, key, product):
    allowed = api_get(anon_client, EAN13, key=key, HTTP_ORIGIN=ORIGIN)
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Origin" in allowed["Vary"]
    denied = api_get(anon_client, EAN13, key=key, HTTP_ORIGIN=OTHER_ORIGIN)
    assert denied.status_code == 200  # a server may read it; a browser page elsewhere may not
    assert "Access-Control-Allow-Origin" not in denied
    # Another partner's origin does not open this partner's key to it.
    services.partner_create(name="Other", origins=[OTHER_ORIGIN])
    assert "Access-Control-Allow-Origin" not in api_get(anon_client, EAN13, key=key, HTTP_ORIGIN=OTHER_ORIGIN)


def test_preflight_answers_partners_origins_only(anon_client, partner, product):
    url = f"/api/v1/partner/products/{EAN13}/notes/"
    ok = anon_client.options(url, HTTP_ORIGIN=ORIGIN, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key")
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Api-Key" in ok["Access-Control-Allow-Headers"]
    refused = anon_client.options(url, HTTP_ORIGIN=OTHER_ORIGIN)
    assert "Access-Control-Allow-Origin" not in refused
    services.partner_revoke(partner=partner)
    assert "Access-Control-Allow-Origin" not in anon_client.options(url, HTTP_ORIGIN=ORIGIN)


def test_etag_cache_control_and_304(anon_client, key, product, settings):
    settings.PARTNER_CACHE_SECONDS = 30
    tag_note(product)
    first = api_get(anon_client, EAN13, key=key)
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age" in first["Cache-Control"]
    again = api_get(anon_client, EAN13, key=key, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = api_get(anon_client, EAN13, key=key, HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200


def test_a_changed_body_has_a_new_etag(anon_client, key, product):
    etag = api_get(anon_client, EAN13, key=key)["ETag"]
    tag_note(product)
    response = api_get(anon_client, EAN13, key=key, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_304_costs_no_notes_queries(anon_client, key, product, settings, django_assert_max_num_queries):
    settings.PARTNER_CACHE_SECONDS = 30
    for _ in range(3):
        tag_note(product)
    etag = api_get(anon_client, EAN13, key=key)["ETag"]
    with django_assert_max_num_queries(1):  # the key
        assert api_get(anon_client, EAN13, key=key, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_full_answer_is_a_fixed_number_of_queries(anon_client, key, product, django_assert_max_num_queries):
    for _ in range(12):
        tag_note(product)
    # The key, the product (images, variants), the candidates, then the read model's cards with a
    # cold cache (visibility, notes, images, products and their thumbnails, tags) and the buyers.
    with django_assert_max_num_queries(13):
        assert len(api_get(anon_client, EAN13, key=key).json()["notes"]) == 10


def test_hidden_removed_unpublished_and_brand_notes_never_show(anon_client, key, product):
    shown = tag_note(product, title="shown")
    tag_note(product, title="hidden", is_hidden=True)
    tag_note(product, title="draft", status=Note.Status.DRAFT)
    tag_note(product, title="deleted", status=Note.Status.DELETED)
    tag_note(product, title="suspended author", author=UserFactory(is_suspended=True))
    tag_note(product, title="the brand's own", author=product.brand)
    taken_down = tag_note(product, title="taken down")
    moderation_services.target_take_down(
        target_type="note", target_id=taken_down.pk, moderator=UserFactory(is_staff=True, is_superuser=True)
    )
    body = api_get(anon_client, EAN13, key=key).json()
    assert [n["id"] for n in body["notes"]] == [shown.pk]


def test_best_first_helpful_verified_buyers_then_recent(anon_client, key, product):
    buyer = UserFactory()
    order = place_order(buyer, product.variants.get())
    Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
    helpful = tag_note(product, title="helpful", like_count=200, save_count=40)
    verified = tag_note(product, author=buyer, title="verified", like_count=5)
    old = tag_note(product, title="old", like_count=1)
    Note.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    recent = tag_note(product, title="recent", like_count=1)
    body = api_get(anon_client, EAN13, key=key).json()
    assert [n["id"] for n in body["notes"]] == [helpful.pk, verified.pk, recent.pk, old.pk]
    assert [n["verified_buyer"] for n in body["notes"]] == [False, True, False, False]


def test_calls_and_4xx_are_logged_per_partner_and_day(anon_client, partner, key, product):
    api_get(anon_client, EAN13, key=key)
    api_get(anon_client, "4006381333932", key=key)
    api_get(anon_client, EAN13, key="rbk_wrong")  # nobody's: not logged
    counters.days_flush()
    day = PartnerDay.objects.get(partner=partner)
    assert (day.calls, day.client_errors, day.clicks) == (2, 1, 0)
    assert day.day == timezone.localdate()


def test_no_cookie_and_no_session_on_the_api(client, user, key, product):
    client.force_login(user)
    response = api_get(client, EAN13, key=key)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_make_product_helper_takes_a_gtin(db):
    assert make_product(gtin="96385074").gtin == "00000096385074"
