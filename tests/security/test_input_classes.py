"""Issue 13 item 6, class by class: the one number parser, the JSON caps, signed cursors,
safe tags, JSON errors under /api/ and the pages; and checks that every serializer,
form and view uses them (so a field or view added later cannot slip past)."""

import ast
import contextlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import override_settings
from rest_framework import serializers
from taggit.models import Tag

from posts import services as note_services
from posts.models import Note
from redbook import cursors, input_fields, numbers
from redbook.exceptions import Invalid
from redbook.parsers import JSONObjectParser, json_depth_exceeds
from tests.conftest import client_for
from tests.contract.conftest import jpeg
from tests.factories import UserFactory
from tests.security.walk import UNICODE_DIGITS, endpoints

APPS = ("accounts", "posts", "shop", "feeds", "search", "moderation", "outbox", "reliability", "redbook", "demo")


# --- The one parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [*UNICODE_DIGITS, "", " ", "1.0", "1e3", "0x10", "1_000", "+-1", None, True, 1.0, [1], "9" * 70]
)
def test_parse_int_takes_ascii_whole_numbers_only(raw):
    with pytest.raises(ValueError):
        numbers.parse_int(raw)


def test_parse_int_and_parse_id_bounds():
    assert numbers.parse_int("42") == numbers.parse_int(" 42 ") == numbers.parse_int(42) == 42
    assert numbers.parse_int("-7") == -7
    assert numbers.parse_id(str(2**63 - 1)) == 2**63 - 1
    assert [numbers.parse_id(v) for v in (str(2**63), "0", "-1", "٣", "", None)] == [None] * 6


@pytest.mark.parametrize(
    "raw", ["NaN", "Infinity", "-inf", "sNaN", "1e2", "٣", "²", "1" * 30, float("nan"), "", "1.2.3"]
)
def test_parse_decimal_refuses_what_no_column_holds(raw):
    with pytest.raises(ValueError):
        numbers.parse_decimal(raw, max_digits=10, decimal_places=2)


def test_parse_decimal_rounds_to_the_column():
    assert numbers.parse_decimal("12.345", max_digits=10, decimal_places=2) == Decimal("12.34")
    assert numbers.parse_decimal(12.5, max_digits=10, decimal_places=2) == Decimal("12.50")
    assert numbers.parse_decimal("99999999.99", max_digits=10, decimal_places=2) == Decimal("99999999.99")
    with pytest.raises(ValueError):
        numbers.parse_decimal("100000000", max_digits=10, decimal_places=2)


def test_parse_float_is_finite_and_ascii():
    assert numbers.parse_float("31.2") == 31.2 and numbers.parse_float("-1e2") == -100.0
    for raw in ("nan", "inf", "1e400", "٣", "３１", "", "1e5000"):
        with pytest.raises(ValueError):
            numbers.parse_float(raw)


# --- Every serializer, form and view uses them --------------------------------------------------

PLAIN_NUMBER_FIELDS = (serializers.IntegerField, serializers.DecimalField, serializers.FloatField)
OURS = (input_fields.IntegerField, input_fields.DecimalField, input_fields.FloatField)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _our_classes(base):
    endpoints()  # imports every view module, and so every serializer and form they use
    for app in APPS:
        for module in ("forms", "api", "serializers", "views", "manage_views"):
            with contextlib.suppress(ImportError):
                __import__(f"{app}.{module}")
    return [cls for cls in set(_subclasses(base)) if cls.__module__.split(".")[0] in APPS]


def _names_given_data() -> set[str]:
    """Classes our code calls with `data=` (request bodies go in so): the input serializers."""
    names = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and any(k.arg == "data" for k in node.keywords):
                    names.add(ast.unparse(node.func).rsplit(".", 1)[-1])
    return names


def test_every_number_field_of_every_input_serializer_parses_ascii_only():
    given_data = _names_given_data()
    inputs = [cls for cls in _our_classes(serializers.Serializer) if cls.__name__ in given_data]
    assert len(inputs) >= 8  # the walk finds them: notes, comments, products, cart, register...
    offenders = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in inputs
        for name, field in cls().fields.items()
        if isinstance(field, PLAIN_NUMBER_FIELDS) and not field.read_only and not isinstance(field, OURS)
    ]
    assert not offenders, offenders


def test_every_number_field_of_every_form_parses_ascii_only():
    ours = (input_fields.IntegerFormField, input_fields.DecimalFormField, input_fields.FloatFormField)
    offenders = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _our_classes(forms.BaseForm)
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField) and not isinstance(field, ours)
    ]
    assert not offenders, offenders


def test_every_api_view_parses_json_with_the_capped_parser():
    offenders = []
    for endpoint in endpoints():
        view_class = getattr(endpoint.callback, "cls", None)
        for parser in getattr(view_class, "parser_classes", ()):
            if "json" in parser.media_type and not issubclass(parser, JSONObjectParser):
                offenders.append(f"{endpoint}: {parser.__name__}")
    assert not offenders, offenders


def test_no_request_body_is_parsed_by_plain_json_loads():
    """A webhook or view parsing a body itself must use redbook.parsers.json_loads_capped."""
    offenders = []
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "parsers.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and ast.unparse(node.func) in ("json.loads", "json.load", "loads"):
                    argument = ast.unparse(node.args[0]) if node.args else ""
                    if "request" in argument or "body" in argument or "stream" in argument:
                        offenders.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node)}")
    assert not offenders, offenders


# --- JSON caps ---------------------------------------------------------------------------------


@pytest.mark.timeout(30)  # quadratic scanning took minutes here (about 18 s for 80 KB)
def test_an_unclosed_string_of_escaped_quotes_is_scanned_once():
    body = b'{"a": "' + b'\\"' * 200_000  # 400 KB, never closed
    assert not json_depth_exceeds(body, 32)
    assert json_depth_exceeds(b'[[[[ "unclosed [[[', 3)  # the brackets before the string still count


def test_depth_is_counted_outside_strings_only():
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[", "b": "\\"[[[[[["}', 3)
    assert json_depth_exceeds(b'{"a": [[[1]]]}', 3)
    assert not json_depth_exceeds(b'{"a": [[1]]}', 3)
    assert not json_depth_exceeds(b"[]" * 10_000, 3)  # wide, not deep
    assert json_depth_exceeds(b"[" * 1_000_000, 32) and not json_depth_exceeds(b"[[", 3)  # unclosed: the parser's


# --- Cursors -----------------------------------------------------------------------------------


def test_a_cursor_round_trips_and_any_change_is_refused():
    token = cursors.cursor_encode({"o": 40})
    assert cursors.cursor_decode(token, fields={"o": int}) == {"o": 40}
    payload, signature = token.rsplit(":", 1)
    tampered = [
        payload.replace(payload[0], "e" if payload[0] != "e" else "f", 1) + ":" + signature,
        token + "x",
        payload,
    ]
    for raw in [*tampered, cursors.cursor_encode({"o": "40"}), cursors.cursor_encode({"o": True}), "x" * 5000]:
        with pytest.raises(Invalid):
            cursors.cursor_decode(raw, fields={"o": int})
    with override_settings(SECRET_KEY="another-key-entirely-for-this-test"), pytest.raises(Invalid):
        cursors.cursor_decode(token, fields={"o": int})


def test_a_cursor_of_one_kind_of_list_is_refused_by_another(db):
    """A place's list pages by a float distance; its cursor on a list by id was a 500."""
    user = UserFactory()
    for title in ("one", "two"):
        note_services.note_create(
            author=user, title=title, body="", images=[jpeg()], lat=30.0, lng=120.0, place_name="Pier"
        )
    place_id = Note.objects.filter(author=user).values_list("place_id", flat=True).first()
    client = client_for(user)
    next_url = client.get(f"/api/v1/places/{place_id}/notes/?page_size=1").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    response = client.get(f"/api/v1/users/{user.username}/notes/?page_size=1&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    assert client.get(next_url).status_code == 200  # where it was made, it still works


# --- Ids in pages ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/notes/①/", "/notes/٣/", "/notes/99999999999999999999999/", "/shop/products/²/", "/orders/٣/"]
)
def test_pages_with_bad_ids_are_404(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/tags/skincare/?page=²", "/search/?q=cream&page=٣", "/shop/?page=①", "/orders/?page=-1"]
)
def test_pages_with_a_bad_page_number_are_400(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 400


# --- Tags -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tags_are_normalised_on_every_write_path(client):
    from posts import services

    user = UserFactory()
    api = client_for(user)
    response = api.post(
        "/api/v1/notes/",
        {"title": "t", "body": "#ok", "tags": ["a/b", "../..", "#x?y", "１００％", "\x00"], "images": [jpeg()]},
        format="multipart",
    )
    assert response.status_code == 201
    assert sorted(response.json()["tags"]) == sorted(["a b", "x y", "100", "ok"])
    note = services.note_create(author=user, title="t", tags=["c/d", "."], images=[jpeg()])
    assert sorted(note.tags.names()) == ["c d"]
    client.force_login(user)
    client.post("/notes/new/", {"title": "page", "tags": "e/f,%", "images": [jpeg()]})
    assert Tag.objects.filter(name="e f").exists()
    assert not Tag.objects.filter(name__contains="/").exists()


@pytest.mark.django_db
def test_a_note_with_a_legacy_unsafe_tag_renders_and_links_to_its_tag_page(client):
    from posts import services

    note = services.note_create(author=UserFactory(), title="old", images=[jpeg()])
    for name in ("a/b", "..", "100%"):
        note.tags.add(Tag.objects.create(name=name, slug=name.replace("/", "-").replace(".", "d")))

    page = client.get(f"/notes/{note.pk}/")
    assert page.status_code == 200
    links = re.findall(r'class="hashtag" href="([^"]+)"', page.content.decode())
    assert len(links) >= 3
    for link in links:
        tag_page = client.get(link)  # the test client unquotes the path once, as a WSGI server does
        assert tag_page.status_code == 200, link
        assert note.title in tag_page.content.decode()
    assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 200


# --- JSON for every error under /api/ -------------------------------------------------------------


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.urls_failing")
@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/failing/bug/", 500, "server_error"),
        ("/api/v1/failing/data-error/", 400, "invalid"),
        ("/api/v1/failing/integrity-error/", 409, "conflict"),
        ("/api/v1/failing/plain-bug/", 500, "server_error"),
        ("/api/v1/failing/plain-data-error/", 400, "invalid"),
        ("/api/v1/failing/suspicious/", 400, "bad_request"),
    ],
)
def test_an_unhandled_error_under_api_answers_json(client, path, status, code):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code and response.json()["detail"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.urls_failing")
def test_a_data_error_on_a_page_is_a_400_page(client):
    client.raise_request_exception = False
    assert client.get("/failing/data-error/").status_code == 400


@pytest.mark.django_db
def test_a_request_refused_before_any_view_answers_json_under_api(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/notes/", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert client.get("/", HTTP_HOST="not-an-allowed-host.example").status_code == 400
