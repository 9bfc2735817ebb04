"""The widget's iframe page, its script, the click counter, oEmbed, the admin and the command."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from partners import counters, services
from partners.models import Partner, PartnerDay
from partners.signals import partner_click
from posts.models import Note
from tests.factories import UserFactory
from tests.partners.conftest import EAN13, ORIGIN, tag_note


def embed(client, gtin=EAN13, **params):
    return client.get(f"/embed/products/{gtin}/", {"partner": "shop-example", **params})


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy).group(1).strip()


def test_the_iframe_page_may_be_framed_by_the_partners_origins_only(partner, product):
    services.partner_origins_set(partner=partner, origins=[ORIGIN, "http://127.0.0.1:8010"])
    response = embed(Client())
    assert response.status_code == 200
    assert frame_ancestors(response).split() == [ORIGIN, "http://127.0.0.1:8010"]
    assert "X-Frame-Options" not in response
    services.partner_create(name="Other", origins=["https://other.example"], public_id="other")
    assert frame_ancestors(Client().get(f"/embed/products/{EAN13}/", {"partner": "other"})) == "https://other.example"


def test_every_other_page_keeps_deny(db):
    response = Client().get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "'none'"


@pytest.mark.parametrize("public_id", ["", "nobody", "x" * 100])
def test_an_unknown_partner_gets_a_404_that_nobody_may_frame(db, product, public_id):
    response = Client().get(f"/embed/products/{EAN13}/", {"partner": public_id})
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"


def test_a_revoked_partner_has_no_widget(partner, product):
    services.partner_revoke(partner=partner)
    assert embed(Client()).status_code == 404


def test_an_unknown_gtin_is_a_404_page_in_the_frame(partner, product):
    response = embed(Client(), gtin="96385074")
    assert response.status_code == 404
    assert frame_ancestors(response) == ORIGIN
    assert "not on RedBook yet" in response.content.decode()


def test_cards_show_notes_with_the_ref_and_never_hidden_ones(partner, product):
    buyer_note = tag_note(product, title="Great cream", like_count=7)
    hidden = tag_note(product, title="Hidden one", is_hidden=True)
    draft = tag_note(product, title="Draft one", status=Note.Status.DRAFT)
    html = embed(Client()).content.decode()
    assert "Great cream" in html
    assert "Hidden one" not in html and "Draft one" not in html
    assert f'href="/embed/go/notes/{buyer_note.pk}/?ref=partner:shop-example"' in html
    assert f"/embed/go/notes/{hidden.pk}/" not in html and f"/embed/go/notes/{draft.pk}/" not in html


def test_no_cookies_no_session_and_no_personal_data(partner, product):
    viewer = UserFactory(email="secret-viewer@example.com")
    client = Client()
    client.force_login(viewer)
    tag_note(product, author=UserFactory(email="author@example.com"))
    response = embed(client)
    html = response.content.decode()
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in html
    assert viewer.username not in html and "@example.com" not in html
    assert response["Cache-Control"] == "public, max-age=60"


def test_the_page_speaks_the_partners_language(partner, product):
    tag_note(product)
    assert "笔记" in embed(Client(), lang="zh").content.decode()
    assert "notes on RedBook" in embed(Client(), lang="en").content.decode()
    assert "notes on RedBook" in embed(Client(), lang="<script>").content.decode()


def test_the_resize_target_is_the_claimed_parent_only_when_it_is_the_partners(partner, product):
    ok = embed(Client(), origin=ORIGIN, id="rb1").content.decode()
    assert f'data-parent-origin="{ORIGIN}"' in ok
    evil = embed(Client(), origin="https://evil.example", id="rb1").content.decode()
    assert 'data-parent-origin=""' in evil


def test_the_first_render_is_small_and_self_contained(partner, product):
    for i in range(8):
        tag_note(product, title=f"Note {i}")
    response = embed(Client())
    html = response.content.decode()
    assert len(response.content) < 20_000
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/") for url in urls)  # nothing from another host


def test_the_widget_script_is_served_as_javascript_without_cookies(client, user):
    client.force_login(user)
    response = client.get("/embed/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"data-redbook-gtin" in response.content and b"event.origin !== base" in response.content
    assert not response.cookies


def test_a_click_through_is_counted_announced_and_lands_on_the_note_with_the_ref(partner, product):
    note = tag_note(product)
    heard = []

    def receiver(**kwargs):
        heard.append(kwargs)

    partner_click.connect(receiver)
    try:
        response = Client().get(f"/embed/go/notes/{note.pk}/", {"ref": "partner:shop-example"})
    finally:
        partner_click.disconnect(receiver)
    assert response.status_code == 302
    assert response["Location"] == f"/notes/{note.pk}/?ref=partner:shop-example"
    assert heard[0]["partner_id"] == partner.pk and heard[0]["note_id"] == note.pk
    product_click = Client().get(f"/embed/go/products/{product.pk}/", {"ref": "partner:shop-example"})
    assert product_click["Location"] == f"/shop/products/{product.pk}/?ref=partner:shop-example"
    counters.days_flush()
    assert PartnerDay.objects.get(partner=partner).clicks == 2


def test_a_click_without_a_known_partner_or_to_a_hidden_note(partner, product):
    note = tag_note(product)
    plain = Client().get(f"/embed/go/notes/{note.pk}/", {"ref": "partner:nobody"})
    assert plain["Location"] == f"/notes/{note.pk}/"
    hidden = tag_note(product, is_hidden=True)
    assert Client().get(f"/embed/go/notes/{hidden.pk}/", {"ref": "partner:shop-example"}).status_code == 404
    counters.days_flush()
    assert not PartnerDay.objects.filter(partner=partner, clicks__gt=0).exists()


def test_oembed_for_a_note_and_a_product(partner, product):
    note = tag_note(product, title="Great <b>cream</b>")
    client = Client()
    body = client.get("/oembed", {"url": f"http://testserver/notes/{note.pk}/"}).json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["title"] == "Great <b>cream</b>"
    assert "&lt;b&gt;" in body["html"] and "<b>" not in body["html"]
    assert body["width"] and body["height"]
    product_body = client.get("/oembed", {"url": f"/shop/products/{product.pk}/", "maxwidth": "300"}).json()
    assert product_body["title"] == product.name and product_body["width"] == 300


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"url": "https://elsewhere.example/notes/1/"}, 404),
        ({"url": "http://testserver/notes/999999/"}, 404),
        ({"url": "http://testserver/admin/"}, 404),
        ({"url": "javascript:alert(1)"}, 404),
        ({"url": "http://[::1"}, 404),
        ({"url": "/notes/1/", "format": "xml"}, 400),
        ({"url": "/notes/1/", "maxwidth": "٣"}, 404),
    ],
)
def test_oembed_bad_input_is_a_clear_4xx(db, params, status):
    response = Client().get("/oembed", params)
    assert response.status_code == status
    assert "code" in response.json()


def test_oembed_hides_hidden_notes(partner, product):
    hidden = tag_note(product, is_hidden=True)
    assert Client().get("/oembed", {"url": f"/notes/{hidden.pk}/"}).status_code == 404


def test_partner_create_prints_the_public_id_and_key_on_two_lines(db, capsys):
    call_command("partner_create", "Acme Shop", "--origin", "https://acme.example", "--origin", "http://127.0.0.1:9")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    public_id = lines[0].removeprefix("public_id ")
    key = lines[1].removeprefix("api_key ")
    partner = Partner.objects.get(public_id=public_id)
    assert partner.origin_list == ["https://acme.example", "http://127.0.0.1:9"]
    assert services.partner_authenticate(key) == partner


@pytest.mark.parametrize("origin", ["acme.example", "ftp://acme.example", "https://acme.example/shop", "https://"])
def test_partner_create_refuses_what_is_not_an_origin(db, origin):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("partner_create", "Acme", "--origin", origin)
    assert not Partner.objects.exists()


def test_admin_shows_the_key_once_and_rotates_and_revokes(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    form = {
        "name": "Admin Shop",
        "public_id": "",
        "rate_per_minute": "100",
        "origins_text": "https://admin-shop.example/\nhttp://LOCALHOST:8010",
        "_save": "Save",
    }
    created = client.post("/admin/partners/partner/add/", form, follow=True)
    assert created.status_code == 200
    key = re.search(r"<code>(rbk_[^<]+)</code>", created.content.decode()).group(1)
    partner = Partner.objects.get(name="Admin Shop")
    assert partner.origin_list == ["https://admin-shop.example", "http://localhost:8010"]
    assert services.partner_authenticate(key) == partner
    page = client.get(f"/admin/partners/partner/{partner.pk}/change/").content.decode()
    assert key not in page
    rotate = {"action": "rotate_keys", "_selected_action": [partner.pk]}
    rotated = client.post("/admin/partners/partner/", rotate, follow=True).content.decode()
    new_key = re.search(r"<code>(rbk_[^<]+)</code>", rotated).group(1)
    assert services.partner_authenticate(key) == partner == services.partner_authenticate(new_key)
    client.post("/admin/partners/partner/", {"action": "revoke_partners", "_selected_action": [partner.pk]})
    assert services.partner_authenticate(new_key) is None


def test_admin_shows_the_daily_log(partner, product):
    counters.count(partner_id=partner.pk, kind="calls", n=5)
    counters.count(partner_id=partner.pk, kind="clicks", n=2)
    counters.days_flush()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    page = client.get(f"/admin/partners/partner/{partner.pk}/change/").content.decode()
    assert "Daily log" in page
    day = PartnerDay.objects.get(partner=partner)
    assert (day.calls, day.clicks) == (5, 2)
