"""The widget on a partner's page, served from its own origin (a static server on a free port)."""

import functools
import http.server
import threading

import pytest
from django.core.management import call_command

from partners import counters
from partners.models import Partner, PartnerDay
from posts import services as post_services
from shop import services as shop_services
from tests.contract.conftest import jpeg
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory
from tests.partners.conftest import EAN13
from tests.shop.conftest import make_product

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def static_site(tmp_path):
    """serve(folder) -> the origin of a static HTTP server on 127.0.0.1 and a free port."""
    servers = []

    def serve(folder) -> str:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _world():
    product = make_product(name="Hydra cream", gtin=EAN13)
    notes = [
        post_services.note_create(author=UserFactory(), title=f"Hydra cream, week {i}", body="", images=[jpeg()])
        for i in range(1, 4)
    ]
    for note in notes:
        note.products.add(product)
    shop_services.product_notes_count_refresh(product_ids=[product.pk])
    return product, notes


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_demo_partner_page_shows_the_widget_and_a_click_opens_the_note_with_the_ref(
    page_at, live_server, static_site, tmp_path
):
    _product, notes = _world()
    port = _free_port()
    shop = tmp_path / "shop"
    call_command("partner_demo_shop", "--port", str(port), "--redbook", live_server.url, "--out", str(shop))
    # The generated pages name the origin by port: serve them on exactly that port.
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(shop))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for width in (390, 1440):
            page = page_at(width)
            page.goto(f"http://127.0.0.1:{port}/product-1.html")
            frame = page.frame_locator("[data-redbook-gtin] iframe")
            cards = frame.locator(".rb-card")
            cards.first.wait_for()
            assert cards.count() == len(notes)
            assert "笔记" in frame.locator(".rb-title").inner_text()
            iframe = page.locator("[data-redbook-gtin] iframe")
            page.wait_for_function(
                "el => el.style.height !== '220px'", arg=iframe.element_handle(), timeout=5000
            )  # resized by the frame's postMessage
            frame.locator(".rb-cover").first.wait_for()
            screenshot(page, f"partner-widget-{width}")
        with page.context.expect_page() as opened:
            cards.first.locator("a").click()
        note_page = opened.value
        note_page.wait_for_load_state()
        assert "ref=partner:demo-shop" in note_page.url
        assert any(f"/notes/{note.pk}/" in note_page.url for note in notes)
    finally:
        server.shutdown()
        server.server_close()
    counters.days_flush()
    assert PartnerDay.objects.get(partner=Partner.objects.get(public_id="demo-shop")).clicks == 1


def test_a_page_on_an_origin_that_is_not_allowed_cannot_frame_it(page_at, live_server, static_site, tmp_path):
    _world()
    call_command("partner_demo_shop", "--port", "9", "--redbook", live_server.url, "--out", str(tmp_path))
    origin = static_site(tmp_path)  # a free port: not one of the demo partner's origins
    page = page_at(390)
    refusals = []
    page.on("console", lambda message: refusals.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(f"{origin}/product-1.html")
    for _ in range(100):  # Chromium reports the refusal on the console once the frame's answer arrives
        if refusals:
            break
        page.wait_for_timeout(100)
    assert refusals, "the browser framed a page whose CSP forbids this origin"
    frame = page.frame_locator("[data-redbook-gtin] iframe")
    assert frame.locator(".rb-card").count() == 0
