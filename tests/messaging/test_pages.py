"""The inbox and chat pages: readable and usable without JavaScript (form posts)."""

import pytest
from django.test import Client

from messaging.models import Message
from tests.messaging.conftest import send, start
from tests.shop.conftest import make_product

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_lists_conversations_with_bounded_queries(pair, django_assert_max_num_queries):
    _alice, bob, a, _b = pair
    cid = start(a, "bob")
    send(a, cid, "hello bob")
    page = browser_for(bob)
    with django_assert_max_num_queries(14):
        response = page.get("/messages/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "hello bob" in html and f'data-conversation-id="{cid}"' in html
    assert 'data-badge-for="messages"' in html


def test_chat_reads_and_sends_without_javascript(pair):
    _alice, bob, a, b = pair
    cid = start(a, "bob")
    send(a, cid, "where is this from?")
    page = browser_for(bob)
    assert "where is this from?" in page.get(f"/messages/{cid}/").content.decode()
    response = page.post(f"/messages/{cid}/send/", {"body": "a shop in Hangzhou"})
    assert response.status_code == 302 and response["Location"] == f"/messages/{cid}/"
    assert list(Message.objects.filter(conversation_id=cid).values_list("body", flat=True).order_by("id")) == [
        "where is this from?",
        "a shop in Hangzhou",
    ]
    # Replying read the conversation.
    assert b.get("/api/v1/messages/unread-count/").json() == {"count": 0}


def test_a_refused_send_keeps_the_text(pair):
    alice, _bob, a, _b = pair
    cid = start(a, "bob")
    response = browser_for(alice).post(f"/messages/{cid}/send/", {"body": "x" * 2001})
    assert response.status_code == 400
    assert "x" * 2001 in response.content.decode()


def test_outsiders_get_404(pair, other_user):
    _alice, _bob, a, _b = pair
    cid = start(a, "bob")
    page = browser_for(other_user)
    assert page.get(f"/messages/{cid}/").status_code == 404
    assert page.post(f"/messages/{cid}/send/", {"body": "hi"}).status_code == 404
    assert Client().get("/messages/").status_code == 302  # to the login page


def test_ask_the_brand_starts_a_conversation_with_the_product(brand, user):
    product = make_product(brand)
    page = browser_for(user)
    html = page.get(f"/shop/products/{product.pk}/").content.decode()
    assert "Ask the brand" in html
    response = page.post("/messages/start/", {"username": brand.username, "product_id": product.pk})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.product_id == product.pk and message.sender_id == user.pk
    assert response["Location"] == f"/messages/{message.conversation_id}/"
    chat = page.get(response["Location"]).content.decode()
    assert product.name in chat


def test_requests_tab_accept_and_decline(pair, other_user):
    alice, _bob, _a, _b = pair
    from tests.conftest import client_for

    stranger = client_for(other_user)
    cid = start(stranger, "alice")
    send(stranger, cid, "hi from a stranger")
    page = browser_for(alice)
    assert "hi from a stranger" not in page.get("/messages/").content.decode()
    assert "hi from a stranger" in page.get("/messages/?folder=requests").content.decode()
    chat = page.get(f"/messages/{cid}/").content.decode()
    assert "Accept" in chat and "Decline" in chat
    page.post(f"/messages/{cid}/accept/")
    assert "hi from a stranger" in page.get("/messages/").content.decode()


def test_chinese_pages(pair):
    alice, _bob, a, _b = pair
    cid = start(a, "bob")
    page = browser_for(alice)
    page.cookies["django_language"] = "zh-hans"
    html = page.get(f"/messages/{cid}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "发送" in html
    assert "私信" in page.get("/messages/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
