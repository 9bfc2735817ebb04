"""`make run` (scripts/run.sh) ends with `manage.py welcome`: once the server answers, it
prints the address, the demo logins and the admin's creation command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.welcome import welcome_lines
from demo.users import DEMO_PASSWORD, DEMO_USERNAME
from tests.factories import BrandFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMBEDDED = {"DEBUG": "1"}
SERVICES = {
    "DEBUG": "1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/redbook",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECRET_KEY": "do-not-print-me",
}


def test_waits_for_the_server_then_prints_logins_and_the_admin_command(live_server, monkeypatch):
    UserFactory(username=DEMO_USERNAME)
    brand = BrandFactory()
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):  # the embedded mode's environment
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEBUG", "1")
    out = io.StringIO()
    call_command("welcome", url=live_server.url, wait=30, stdout=out)
    printed = out.getvalue()
    assert f"RedBook is up on {live_server.url}" in printed
    assert f"Demo login:   {DEMO_USERNAME} / {DEMO_PASSWORD}" in printed
    assert f"Brand login:  {brand.username} / {DEMO_PASSWORD}" in printed
    assert "DEBUG=1 .venv/bin/python manage.py createsuperuser" in printed
    assert f"{live_server.url}/admin/" in printed


def test_in_postgres_and_redis_mode_the_admin_command_reaches_the_same_database():
    UserFactory(username=DEMO_USERNAME)
    lines = welcome_lines(url="http://127.0.0.1:8001", environ=SERVICES)
    admin = next(line for line in lines if "createsuperuser" in line)
    assert (
        "DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/redbook REDIS_URL=redis://127.0.0.1:6379/0"
        ' SECRET_KEY="$SECRET_KEY" .venv/bin/python manage.py createsuperuser'
    ) in admin
    assert "do-not-print-me" not in "\n".join(lines)


def test_a_database_without_the_demo_world_gets_no_demo_login():
    UserFactory(username="someone")
    lines = welcome_lines(url="http://127.0.0.1:8000", environ=EMBEDDED)
    assert not [line for line in lines if "login" in line]
    assert any("createsuperuser" in line for line in lines)


def test_a_server_that_never_answers_is_reported():
    with pytest.raises(CommandError, match="did not answer"):
        call_command("welcome", url="http://127.0.0.1:9", wait=0.5, stdout=io.StringIO())
