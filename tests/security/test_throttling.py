"""redbook.throttling: atomic limits, 429 + Retry-After, per-scope failure policy."""

import threading

import pytest
import redis
import redis.backoff
import redis.retry
from rest_framework.test import APIRequestFactory

from redbook import throttling
from tests.conftest import client_for, requires_redis
from tests.factories import UserFactory

factory = APIRequestFactory()


@pytest.fixture
def rates(settings):
    def set_rates(**scopes):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = rest  # setting_changed reloads DRF's api_settings

    return set_rates


def drf_request(method="post", ip="10.0.0.1", data=None):
    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request

    raw = getattr(factory, method)("/x/", data or {}, format="json", REMOTE_ADDR=ip)
    request = Request(raw, parsers=[JSONParser()])
    request.user = None
    return request


@pytest.mark.parametrize(("rate", "expected"), [("10/min", (10, 60)), ("5/15m", (5, 900)), ("100/hour", (100, 3600))])
def test_parse_rate(rate, expected):
    assert throttling.parse_rate(rate) == expected


@pytest.mark.django_db
def test_reports_over_the_limit_get_429_with_retry_after(rates, user, other_user):
    rates(report="2/min")
    client = client_for(user)
    payload = {"target_type": "user", "target_id": other_user.username, "reason": "spam"}

    statuses = [client.post("/api/v1/reports/", payload, format="json").status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    throttled = client.post("/api/v1/reports/", payload, format="json")
    assert throttled.status_code == 429
    assert throttled.data["code"] == "throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= 60


@pytest.mark.django_db
def test_limits_are_per_user(rates, user, other_user):
    rates(report="1/min")
    payload = {"target_type": "user", "target_id": "nobody", "reason": "spam"}

    assert client_for(user).post("/api/v1/reports/", payload).status_code == 404
    assert client_for(user).post("/api/v1/reports/", payload).status_code == 429
    assert client_for(other_user).post("/api/v1/reports/", payload).status_code == 404


@requires_redis
@pytest.mark.django_db
def test_a_concurrent_burst_cannot_slip_past(rates):
    rates(post="5/min")
    throttle_class = throttling.PostThrottle
    allowed = []
    barrier = threading.Barrier(30)

    def attempt():
        request = drf_request()
        barrier.wait()
        allowed.append(throttle_class().allow_request(request, None))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 5
    assert allowed.count(False) == 25


@requires_redis
def test_hits_are_counted_exactly_under_concurrency():
    counts = []
    barrier = threading.Barrier(20)

    def hit():
        barrier.wait()
        counts.append(throttling.hit("rl:test:burst", 60))

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == list(range(1, 21))


@pytest.mark.django_db
def test_reads_are_not_counted(rates):
    rates(comment="1/min")

    assert all(throttling.CommentThrottle().allow_request(drf_request("get"), None) for _ in range(5))


@pytest.mark.django_db
def test_login_guessing_elsewhere_does_not_lock_the_owner_out(rates):
    rates(login="3/min")
    guess = {"username": "Alice", "password": "wrong"}

    guesser = [throttling.LoginThrottle().allow_request(drf_request(ip="6.6.6.6", data=guess), None) for _ in range(4)]

    assert guesser == [True, True, True, False]
    owner = drf_request(ip="1.2.3.4", data={"username": "alice", "password": "right"})
    assert throttling.LoginThrottle().allow_request(owner, None)
    # Another account from the guesser's address is a separate budget too.
    other = drf_request(ip="6.6.6.6", data={"username": "bob"})
    assert throttling.LoginThrottle().allow_request(other, None)


@pytest.mark.django_db
def test_a_successful_login_resets_the_failures(rates):
    rates(login="2/min")
    request = drf_request(data={"username": "carol"})
    throttle = throttling.LoginThrottle()
    assert throttle.allow_request(request, None) and throttle.allow_request(request, None)

    throttling.LoginThrottle.reset(request)

    assert throttle.allow_request(request, None)


@pytest.mark.django_db
def test_a_non_object_json_body_does_not_break_the_login_throttle(rates):
    rates(login="2/min")
    raw = factory.post("/x/", [1, 2], format="json")
    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request

    assert throttling.LoginThrottle().allow_request(Request(raw, parsers=[JSONParser()]), None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("throttle_class", "allowed"),
    [
        (throttling.SignupThrottle, False),
        (throttling.LoginThrottle, False),
        (throttling.LoginIPThrottle, False),
        (throttling.PostThrottle, True),
        (throttling.CommentThrottle, True),
        (throttling.FollowThrottle, True),
        (throttling.ReportThrottle, True),
        (throttling.CheckoutThrottle, True),
    ],
)
def test_each_scope_fails_open_or_closed_as_documented(monkeypatch, throttle_class, allowed):
    dead = redis.Redis(host="127.0.0.1", port=1, retry=redis.retry.Retry(redis.backoff.NoBackoff(), 1))
    monkeypatch.setattr(throttling, "get_redis", lambda timeout: dead)
    throttle = throttle_class()

    assert throttle.allow_request(drf_request(data={"username": "dave"}), None) is allowed
    if not allowed:
        assert throttle.wait() > 0


@pytest.mark.django_db
def test_without_redis_the_cache_counts(monkeypatch, rates):
    monkeypatch.setattr(throttling, "get_redis", lambda timeout: None)
    rates(follow="2/min")
    user = UserFactory.build(pk=99)
    request = drf_request()
    request.user = user

    results = [throttling.FollowThrottle().allow_request(request, None) for _ in range(3)]

    assert results == [True, True, False]


@pytest.mark.django_db
def test_a_burst_of_failed_api_logins_is_throttled_but_the_owner_gets_in(user):
    from rest_framework.test import APIClient

    guesser = APIClient(REMOTE_ADDR="6.6.6.6")
    statuses = [
        guesser.post("/api/v1/auth/token/", {"username": user.username, "password": f"guess-{i}"}).status_code
        for i in range(12)
    ]

    assert statuses[0] == 400 and statuses[-1] == 429
    throttled = guesser.post("/api/v1/auth/token/", {"username": user.username, "password": "guess"})
    assert int(throttled.headers["Retry-After"]) > 0
    owner = APIClient(REMOTE_ADDR="1.2.3.4")
    response = owner.post("/api/v1/auth/token/", {"username": user.username, "password": "correct-horse-9"})
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "method", "url"),
    [
        ("signup", "post", "/api/v1/auth/register/"),
        ("follow", "post", "/api/v1/users/{other}/follow/"),
        ("checkout", "post", "/api/v1/checkout/"),
        ("post", "post", "/api/v1/notes/"),
        ("comment", "post", "/api/v1/notes/1/comments/"),
        ("report", "post", "/api/v1/reports/"),
    ],
)
def test_every_abuse_limit_is_applied_to_its_endpoint(rates, user, other_user, scope, method, url):
    rates(**{scope: "1/min"})
    client = client_for(user)
    url = url.format(other=other_user.username)

    getattr(client, method)(url, {}, format="json")
    response = getattr(client, method)(url, {}, format="json")

    assert response.status_code == 429, (scope, response.status_code)
    assert "Retry-After" in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "url", "data"),
    [
        ("password_reset", "/accounts/password-reset/", {"email": "a@example.com"}),
        ("signup", "/accounts/signup/", {"username": "x"}),
    ],
)
def test_html_forms_are_limited_too(rates, client, scope, url, data):
    rates(**{scope: "1/min"})
    assert client.get(url).status_code == 200  # reading the form costs nothing

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code != 429
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0
    assert "try again" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "url"),
    [
        ("post", "/notes/new/"),
        ("comment", "/notes/1/comment/"),
        ("checkout", "/checkout/"),
        ("follow", "/u/{other}/follow/"),
    ],
)
def test_html_writes_of_signed_in_users_are_limited(rates, client, user, other_user, scope, url):
    rates(**{scope: "1/min"})
    client.force_login(user)
    url = url.format(other=other_user.username)

    client.post(url, {})
    response = client.post(url, {})

    assert response.status_code == 429
